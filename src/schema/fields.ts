import type Joi from 'joi';

/**
 * The field vocabulary of entity declarations. A field is plain metadata; the model, the DDL, the joi
 * schemas and the query allow-lists are all derived from it elsewhere.
 */
export type FieldKind =
  | 'string'
  | 'text'
  | 'email'
  | 'url'
  | 'phone'
  | 'integer'
  | 'decimal'
  | 'float'
  | 'boolean'
  | 'timestamp'
  | 'enum'
  | 'uuid'
  | 'ref'
  | 'json'
  | 'list'
  | 'relatedType';

export type OnDelete = 'CASCADE' | 'SET NULL' | 'RESTRICT';

export interface FieldSpec {
  kind: FieldKind;
  /** Maximum length of string kinds; precision of decimals. */
  length?: number;
  scale?: number;
  values?: readonly string[];
  /** What a `list` (text array) holds. */
  itemKind?: 'string' | 'email';
  /** Entity name a `ref` points to. */
  target?: string;
  onDelete?: OnDelete;
  required: boolean;
  nullable: boolean;
  /** A constant default: a JSON-compatible value (objects for json, arrays for lists), or NOW. */
  defaultValue?: unknown;
  unique?: 'organization' | 'global';
  index: boolean;
  searchable: boolean;
  /** Never serialized, filtered, sorted, searched or selected — by anyone (password and token hashes). */
  hidden: boolean;
  /** Computed or server-assigned: never taken from a client's body. */
  readOnly: boolean;
  min?: number;
  max?: number;
  /** Validation of a `json` field's content. */
  schema?: Joi.Schema;
  description?: string;
}

/** `T` is the value type a record carries for this field; it only feeds type inference. */
export class Field<T = unknown> {
  declare readonly __type: T;
  constructor(readonly spec: FieldSpec) {}

  private with<U = T>(patch: Partial<FieldSpec>): Field<U> {
    return new Field<U>({ ...this.spec, ...patch });
  }

  required(): Field<T> {
    return this.with({ required: true });
  }
  /** Null is allowed even though the field has a default. */
  nullable(): Field<T> {
    return this.with({ nullable: true });
  }
  default(value: T): Field<T> {
    return this.with({ defaultValue: value });
  }
  /** The time of insertion, set by the database. */
  defaultNow(): Field<T> {
    return this.with({ defaultValue: NOW });
  }
  unique(scope: 'organization' | 'global' = 'organization'): Field<T> {
    return this.with({ unique: scope });
  }
  index(): Field<T> {
    return this.with({ index: true });
  }
  searchable(): Field<T> {
    return this.with({ searchable: true });
  }
  hidden(): Field<T> {
    return this.with({ hidden: true });
  }
  readOnly(): Field<T> {
    return this.with({ readOnly: true });
  }
  min(min: number): Field<T> {
    return this.with({ min });
  }
  max(max: number): Field<T> {
    return this.with({ max });
  }
  describe(description: string): Field<T> {
    return this.with({ description });
  }

  /** A field is NOT NULL when it is required or has a default, unless declared nullable. */
  get allowsNull(): boolean {
    return this.spec.nullable || (!this.spec.required && this.spec.defaultValue === undefined);
  }
}

/** Marks a timestamp default of "the moment the row is inserted". */
export const NOW = Symbol('now');

const base = (kind: FieldKind, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  kind,
  required: false,
  nullable: false,
  index: false,
  searchable: false,
  hidden: false,
  readOnly: false,
  ...extra,
});

export const f = {
  string: (length = 255) => new Field<string>(base('string', { length })),
  text: () => new Field<string>(base('text')),
  email: () => new Field<string>(base('email', { length: 255 })),
  url: () => new Field<string>(base('url', { length: 2048 })),
  phone: () => new Field<string>(base('phone', { length: 50 })),
  integer: () => new Field<number>(base('integer')),
  decimal: (precision = 15, scale = 2) => new Field<number>(base('decimal', { length: precision, scale })),
  float: () => new Field<number>(base('float')),
  boolean: () => new Field<boolean>(base('boolean')),
  timestamp: () => new Field<Date>(base('timestamp')),
  enum: <const V extends string>(values: readonly V[]) => new Field<V>(base('enum', { values })),
  uuid: () => new Field<string>(base('uuid')),
  ref: (target: string, onDelete: OnDelete = 'SET NULL') =>
    new Field<string>(base('ref', { target, onDelete })),
  json: <T = unknown>(schema?: Joi.Schema) => new Field<T>(base('json', { schema })),
  tags: () => new Field<string[]>(base('list', { itemKind: 'string', length: 100 })),
  emailList: () => new Field<string[]>(base('list', { itemKind: 'email', length: 255 })),
  /** The entity half of a polymorphic link; valid values come from the registry. */
  relatedType: () => new Field<string>(base('relatedType', { length: 50 })),
};

export type FieldMap = Record<string, Field>;
