import type Joi from 'joi';
import type { Transaction } from 'sequelize';
import type { Actor, Role } from '../context';
import { f, type Field, type FieldMap } from './fields';

/** Which rows a role reaches for an action: none, its own, its team's, or the whole organization's. */
export type Scope = false | 'own' | 'team' | 'all';

export interface RolePolicy {
  read?: Scope;
  create?: boolean;
  update?: Scope;
  delete?: Scope;
  /** Fields this role may not read (never serialized, not filterable or sortable). */
  unreadable?: readonly string[];
  /** Fields this role may not set: a 403 when a write would change them, ignored when it repeats them. */
  unwritable?: readonly string[];
}
export type EntityPolicy = Partial<Record<Role, RolePolicy>>;

export type Values = Record<string, unknown>;

export interface WriteHookArgs {
  actor: Actor;
  /** The stored record, on update. */
  existing?: Values;
  transaction: Transaction;
  /** Reads records of another entity within the actor's organization. */
  lookup(entity: string, ids: string[], attributes: string[]): Promise<Values[]>;
  /** One-way hash for secrets a record keeps (passwords). */
  hashSecret(plain: string): Promise<string>;
}

export interface EntityHooks {
  /** Runs after validation and before the write, inside its transaction; returns the values to store. */
  beforeWrite?(values: Values, args: WriteHookArgs): Values | Promise<Values>;
  /** Runs inside the delete's transaction, with the stored record; throws to refuse. */
  beforeDelete?(existing: Values, args: Omit<WriteHookArgs, 'existing'>): void | Promise<void>;
}

interface DeclarationInput<F extends FieldMap> {
  /** PascalCase, as the Base44 surface names it. */
  name: string;
  table: string;
  /** Plural kebab-case route segment under /api/v1. */
  path: string;
  description?: string;
  fields: F;
  /** Adds a `tags` text array column. */
  tags?: boolean;
  /** Composite indexes beyond the per-field ones (led by organization_id, unless their first field is a ref). */
  indexes?: readonly (readonly string[])[];
  /** Fields whose value is a user id that owns the record (for `own`/`team` scopes). */
  owner?: readonly string[];
  defaultSort?: string;
  policy?: EntityPolicy;
  /** Write-only inputs that are not columns (e.g. a password), consumed by hooks. */
  inputs?: Record<string, Joi.Schema>;
  hooks?: EntityHooks;
  /** Field that records where a record came from; an API key's source code is stamped into it. */
  sourceField?: string;
  /**
   * Records an API key creates are screened for spam (lead intake) and may be created only through it: a
   * create that skips the screening (an import, an upsert) is refused for API keys.
   */
  screenApiKeyCreates?: boolean;
}

/** Columns every organization-scoped entity has. */
const entityBaseFields = {
  id: f.uuid().required().readOnly(),
  organization_id: f.ref('Organization', 'CASCADE').required().readOnly(),
  created_by: f.ref('User').readOnly().index(),
  created_at: f.timestamp().required().readOnly(),
  updated_at: f.timestamp().required().readOnly(),
  custom_fields: f.json<Record<string, unknown>>().default({}).describe('Free-form per-record attributes'),
};
const systemBaseFields = {
  id: f.uuid().required().readOnly(),
  created_at: f.timestamp().required().readOnly(),
  updated_at: f.timestamp().required().readOnly(),
};
const tagFields = { tags: f.tags().default([]) };

export type BaseFieldName = keyof typeof entityBaseFields;
export const SERVER_ASSIGNED = ['id', 'organization_id', 'created_by', 'created_at', 'updated_at'] as const;

export interface Declaration {
  kind: 'entity' | 'system';
  name: string;
  table: string;
  path: string;
  description?: string;
  /** Declared fields plus the implicit base columns, in column order. */
  fields: FieldMap;
  owner: readonly string[];
  indexes: readonly (readonly string[])[];
  /** Composite unique indexes of a system table (a goal per user, metric and period). */
  uniques?: readonly (readonly string[])[];
  defaultSort: string;
  policy?: EntityPolicy;
  inputs: Record<string, Joi.Schema>;
  hooks: EntityHooks;
  sourceField?: string;
  screenApiKeyCreates?: boolean;
}

/** The fields `?search=` matches: those declared searchable that anyone may ever see. */
export const searchedFields = (decl: Declaration): string[] =>
  Object.entries(decl.fields)
    .filter(([, f]) => f.spec.searchable && !f.spec.hidden)
    .map(([name]) => name);

export type EntityDeclaration<F extends FieldMap = FieldMap> = Declaration & {
  kind: 'entity';
  readonly __fields?: F & typeof entityBaseFields;
};

type ValueOf<X> = X extends Field<infer T> ? T | null : never;
/** The shape of a stored record, inferred from its declaration. */
export type RecordOf<D> = D extends { readonly __fields?: infer F }
  ? { [K in keyof F]: ValueOf<F[K]> }
  : never;

export function defineEntity<F extends FieldMap>(input: DeclarationInput<F>): EntityDeclaration<F> {
  const { tags, owner, defaultSort, inputs, hooks, fields, indexes, ...rest } = input;
  return {
    ...rest,
    indexes: indexes ?? [],
    kind: 'entity',
    fields: { ...entityBaseFields, ...fields, ...(tags ? tagFields : {}) },
    owner: owner ?? ['created_by'],
    defaultSort: defaultSort ?? '-created_at',
    inputs: inputs ?? {},
    hooks: hooks ?? {},
  };
}

/** A table the service layer uses internally (organizations, tokens, audit entries): not a CRUD entity. */
export function defineSystemTable<F extends FieldMap>(input: {
  name: string;
  table: string;
  fields: F;
  /** Composite indexes, as written (no organization prefix is added). */
  indexes?: readonly (readonly string[])[];
  /** Composite unique indexes, as written. */
  uniques?: readonly (readonly string[])[];
}): Declaration & { kind: 'system'; readonly __fields?: F & typeof systemBaseFields } {
  return {
    kind: 'system',
    name: input.name,
    table: input.table,
    path: input.table,
    fields: { ...systemBaseFields, ...input.fields },
    owner: [],
    indexes: input.indexes ?? [],
    uniques: input.uniques ?? [],
    defaultSort: '-created_at',
    inputs: {},
    hooks: {},
  };
}
