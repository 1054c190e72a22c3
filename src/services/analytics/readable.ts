import type { Actor } from '../../context';
import type { CrudService } from '../../crud/crud-service';
import type { CrudServices } from '../../crud/services';
import { ForbiddenError } from '../../errors';

/**
 * The CrudService of an entity when the actor may read it, else null: a dashboard leaves out what a role
 * never sees (a support agent has no deals) instead of refusing the whole page.
 */
export function readableService(crud: CrudServices, actor: Actor, entity: string): CrudService | null {
  const service = crud.for(actor, entity);
  try {
    service.authorize('read');
    return service;
  } catch (err) {
    if (err instanceof ForbiddenError) return null;
    throw err;
  }
}
