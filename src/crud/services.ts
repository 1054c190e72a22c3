import type { Actor } from '../context';
import { CrudService, type CrudDeps, type ServiceOptions } from './crud-service';
import type { EntityRuntime } from './registry';

const STRICT: ServiceOptions = { unknownFields: 'reject' };

/** Hands out a CrudService for an actor and an entity; the one way routes and domain code reach records. */
export class CrudServices {
  constructor(readonly deps: CrudDeps) {}

  for(actor: Actor, entity: string | EntityRuntime, options: ServiceOptions = STRICT): CrudService {
    const runtime = typeof entity === 'string' ? this.deps.registry.get(entity) : entity;
    return new CrudService(runtime, actor, this.deps, options);
  }
}
