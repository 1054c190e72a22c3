import Joi from 'joi';
import { ValidationError, type ErrorDetail } from '../errors';
import type { Declaration } from '../schema/entity';
import type { Field } from '../schema/fields';
import { EARLIEST_DATE, hasNul } from './filter/values';

const INT32 = 2_147_483_647;
const DANGEROUS_SCHEME = /^\s*(javascript|data|vbscript|file):/i;
// Printable text without angle brackets or control characters: phone numbers, extensions, "ext. 12".
const PHONE = /^[^<>\p{Cc}]*$/u;

function decimalBound(field: Field): number {
  const { length = 15, scale = 2 } = field.spec;
  return 10 ** (length - scale) - 10 ** -scale;
}

function baseSchema(field: Field, relatedTypes: readonly string[]): Joi.Schema {
  const s = field.spec;
  switch (s.kind) {
    case 'string':
      return Joi.string()
        .trim()
        .max(s.length ?? 255);
    case 'text':
      return Joi.string().max(100_000);
    case 'email':
      return Joi.string().trim().lowercase().email({ tlds: false }).max(255);
    case 'url':
      return Joi.string()
        .trim()
        .max(s.length ?? 2048)
        .pattern(DANGEROUS_SCHEME, { invert: true, name: 'safe link (http, https, mailto, ...)' });
    case 'phone':
      return Joi.string().trim().max(50).pattern(PHONE, 'phone number');
    case 'integer':
      return Joi.number()
        .integer()
        .min(s.min ?? -INT32)
        .max(s.max ?? INT32);
    case 'decimal': {
      const bound = decimalBound(field);
      return Joi.number()
        .min(s.min ?? -bound)
        .max(s.max ?? bound)
        .precision(s.scale ?? 2);
    }
    case 'float':
      return Joi.number();
    case 'boolean':
      return Joi.boolean();
    case 'timestamp':
      return Joi.date().iso().min(EARLIEST_DATE);
    case 'enum':
      return Joi.string().valid(...(s.values ?? []));
    case 'uuid':
    case 'ref':
      // Stored and compared as PostgreSQL prints them; an id copied in upper case names the same record.
      return Joi.string().guid().lowercase();
    case 'json':
      return s.schema ?? Joi.object().unknown(true);
    case 'list': {
      const item =
        s.itemKind === 'email'
          ? Joi.string().trim().lowercase().email({ tlds: false }).max(255)
          : Joi.string()
              .trim()
              .min(1)
              .max(s.length ?? 100);
      return Joi.array().items(item).max(100);
    }
    case 'relatedType':
      return Joi.string().valid(...relatedTypes);
  }
}

/** Kinds where an empty string from a form means "no value". */
const BLANK_IS_NULL = new Set([
  'email',
  'url',
  'phone',
  'integer',
  'decimal',
  'float',
  'timestamp',
  'enum',
  'uuid',
  'ref',
  'relatedType',
]);

export interface WriteSchemas {
  create: Joi.ObjectSchema;
  update: Joi.ObjectSchema;
  /** Fields a client may send at all (declared, writable, plus write-only inputs). */
  writable: Set<string>;
}

/** Create and update schemas of a declaration; read-only and hidden fields are not part of them. */
export function writeSchemas(decl: Declaration, relatedTypes: readonly string[]): WriteSchemas {
  const create: Record<string, Joi.Schema> = {};
  const update: Record<string, Joi.Schema> = {};
  for (const [name, field] of Object.entries(decl.fields)) {
    if (field.spec.readOnly || field.spec.hidden) continue;
    let schema = baseSchema(field, relatedTypes);
    if (field.allowsNull) schema = schema.allow(null);
    if (['string', 'text'].includes(field.spec.kind) && !field.spec.required) schema = schema.allow('');
    create[name] = field.spec.required ? schema.required() : schema;
    update[name] = schema;
  }
  for (const [name, schema] of Object.entries(decl.inputs)) {
    create[name] = schema;
    update[name] = schema;
  }
  const unknown = { 'object.unknown': `{{#label}} is not a field of ${decl.name}` };
  return {
    create: Joi.object(create).messages(unknown),
    update: Joi.object(update).messages(unknown),
    writable: new Set(Object.keys(create)),
  };
}

export function blankToNull(decl: Declaration, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    const field = decl.fields[k];
    out[k] = v === '' && field && field.allowsNull && BLANK_IS_NULL.has(field.spec.kind) ? null : v;
  }
  return out;
}

const joiOptions: Joi.ValidationOptions = {
  abortEarly: false,
  convert: true,
  errors: { wrap: { label: false } },
};

/** Validates a body against a schema, turning joi's report into per-field details. */
export function validate(
  schema: Joi.ObjectSchema,
  values: Record<string, unknown>,
  opts: { entityName: string; stripUnknown: boolean; index?: number },
): Record<string, unknown> {
  const { entityName, stripUnknown, index } = opts;
  const { value, error } = schema.validate(values, { ...joiOptions, stripUnknown });
  const details = error ? detailsOf(error, index) : [];
  for (const [field, v] of Object.entries((error ? values : value) as Record<string, unknown>)) {
    if (hasNul(v) && !details.some((d) => d.field === field)) {
      details.push({
        ...(index !== undefined ? { index } : {}),
        field,
        message: `${field} cannot contain the NUL character (\\u0000)`,
      });
    }
  }
  if (!details.length) return value as Record<string, unknown>;
  throw new ValidationError(invalidMessage(entityName, details), details);
}

/** The message names what is wrong, for clients that show only the message (the Base44 SDK). */
export function invalidMessage(what: string, details: ErrorDetail[]): string {
  const shown = details.slice(0, 3).map((d) => d.message);
  const more = details.length > 3 ? ` (and ${details.length - 3} more)` : '';
  return `The ${what} is not valid: ${shown.join('; ')}${more}`;
}

export function detailsOf(error: Joi.ValidationError, index?: number): ErrorDetail[] {
  return error.details.map((d) => ({
    ...(index !== undefined ? { index } : {}),
    ...(d.path.length
      ? { field: d.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('') }
      : {}),
    message: d.message,
  }));
}
