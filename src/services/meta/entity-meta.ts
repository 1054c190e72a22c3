import type { Actor } from '../../context';
import { keyAllows, rolePolicy, type Action } from '../../crud/policy';
import type { EntityRegistry, EntityRuntime } from '../../crud/registry';
import { ForbiddenError, NotFoundError } from '../../errors';
import { SERVER_ASSIGNED } from '../../schema/entity';
import { NOW, type Field, type FieldKind } from '../../schema/fields';

export interface FieldMeta {
  name: string;
  kind: FieldKind;
  required: boolean;
  nullable: boolean;
  /** False for server-assigned fields and fields this caller's role may not set. */
  writable: boolean;
  searchable: boolean;
  sortable: boolean;
  values?: readonly string[];
  itemKind?: string;
  /** The entity a `ref` field points to, with its /api/v1 path. */
  ref?: { entity: string; path: string };
  default?: unknown;
  min?: number;
  max?: number;
  length?: number;
  description?: string;
}

/** Another entity whose records point at this one: the record page links to them. */
export interface RelationMeta {
  entity: string;
  path: string;
  field: string;
}

export interface EntityMeta {
  name: string;
  path: string;
  description?: string;
  defaultSort: string;
  /** What this caller may do: read, create, update, delete (with the rows they reach for each). */
  actions: Partial<Record<Action, 'all' | 'team' | 'own'>>;
  fields: FieldMeta[];
  relations: RelationMeta[];
}

const ACTIONS: readonly Action[] = ['read', 'create', 'update', 'delete'];
/** What the list endpoints cannot order by (see crud/ordering.ts). */
const UNSORTABLE = new Set<FieldKind>(['json', 'list']);

/**
 * What the generic screens need to know about each entity, derived from its declaration and narrowed to
 * the caller: only the entities, fields and actions this role (and API key) may use appear.
 */
export class EntityMetaService {
  constructor(private readonly registry: EntityRegistry) {}

  list(actor: Actor): EntityMeta[] {
    return this.registry
      .all()
      .map((rt) => this.describe(rt, actor))
      .filter((meta) => Object.keys(meta.actions).length > 0);
  }

  /** One entity by name (`Lead`) or path (`leads`). */
  get(actor: Actor, nameOrPath: string): EntityMeta {
    const rt = this.registry.byName(nameOrPath) ?? this.registry.byPath(nameOrPath);
    if (!rt)
      throw new NotFoundError(`No entity is called "${nameOrPath}"; GET /api/v1/meta/entities lists them`);
    const meta = this.describe(rt, actor);
    if (Object.keys(meta.actions).length === 0)
      throw new ForbiddenError(`Your role (${actor.role}) may not use ${rt.decl.path.replace(/-/g, ' ')}`);
    return meta;
  }

  private actionsOf(rt: EntityRuntime, actor: Actor): EntityMeta['actions'] {
    const policy = rolePolicy(rt.decl, actor);
    const actions: EntityMeta['actions'] = {};
    for (const action of ACTIONS) {
      if (actor.apiKey && !keyAllows(actor.apiKey.scopes, rt.decl.path, action)) continue;
      const scope = action === 'create' ? (policy.create ? 'all' : false) : policy[action];
      if (scope) actions[action] = scope;
    }
    return actions;
  }

  private describe(rt: EntityRuntime, actor: Actor): EntityMeta {
    const policy = rolePolicy(rt.decl, actor);
    const unreadable = new Set(policy.unreadable ?? []);
    const unwritable = new Set([...(policy.unwritable ?? []), ...SERVER_ASSIGNED]);
    const actions = this.actionsOf(rt, actor);
    const fields = Object.entries(rt.decl.fields)
      .filter(([name, field]) => !field.spec.hidden && !unreadable.has(name))
      .map(([name, field]) => this.field(name, field, !field.spec.readOnly && !unwritable.has(name)));
    return {
      name: rt.decl.name,
      path: rt.decl.path,
      ...(rt.decl.description ? { description: rt.decl.description } : {}),
      defaultSort: rt.decl.defaultSort,
      actions,
      fields: actions.read || actions.create ? fields : [],
      relations: actions.read ? this.relationsTo(rt, actor) : [],
    };
  }

  private field(name: string, field: Field, writable: boolean): FieldMeta {
    const { spec } = field;
    const target = spec.target ? this.registry.byName(spec.target) : undefined;
    const optional = {
      values: spec.values,
      itemKind: spec.itemKind,
      ref: target ? { entity: target.decl.name, path: target.decl.path } : undefined,
      default: spec.defaultValue === NOW ? undefined : spec.defaultValue,
      min: spec.min,
      max: spec.max,
      length: spec.length,
      description: spec.description,
    };
    return {
      name,
      kind: spec.kind,
      required: spec.required,
      nullable: field.allowsNull,
      writable,
      searchable: spec.searchable,
      sortable: !UNSORTABLE.has(spec.kind),
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    };
  }

  /** Readable entities with a reference to this one (other than the bookkeeping created_by/organization). */
  private relationsTo(rt: EntityRuntime, actor: Actor): RelationMeta[] {
    return this.registry.all().flatMap((other) => {
      if (!this.actionsOf(other, actor).read) return [];
      const unreadable = new Set(rolePolicy(other.decl, actor).unreadable ?? []);
      return Object.entries(other.decl.fields)
        .filter(
          ([name, f]) =>
            f.spec.kind === 'ref' &&
            f.spec.target === rt.decl.name &&
            !f.spec.hidden &&
            !unreadable.has(name) &&
            !(SERVER_ASSIGNED as readonly string[]).includes(name),
        )
        .map(([name]) => ({ entity: other.decl.name, path: other.decl.path, field: name }));
    });
  }
}
