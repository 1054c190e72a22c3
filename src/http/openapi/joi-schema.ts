import type Joi from 'joi';
import type { JsonSchema, QueryParam } from './types';

interface Rule {
  name: string;
  args?: Record<string, unknown>;
}
interface Description {
  type: string;
  flags?: { presence?: string; only?: boolean; unknown?: boolean; default?: unknown; description?: string };
  rules?: Rule[];
  allow?: unknown[];
  keys?: Record<string, Description>;
  items?: Description[];
  matches?: { schema?: Description }[];
}

/**
 * The JSON Schema of a joi schema, from `describe()`: the documented bodies are the ones the services
 * validate with, so the two cannot drift. Covers the joi features this code base uses.
 */
export function joiToJsonSchema(schema: Joi.Schema, options: { stripsUnknown?: boolean } = {}): JsonSchema {
  const s = fromDescription(schema.describe() as Description);
  // Validated with `stripUnknown`: other keys are dropped, not refused.
  if (options.stripsUnknown && s.additionalProperties === false) delete s.additionalProperties;
  return s;
}

const limit = (rule: Rule): unknown => rule.args?.limit;

function stringSchema(rules: Rule[]): JsonSchema {
  const s: JsonSchema = { type: 'string' };
  for (const rule of rules) {
    if (rule.name === 'max') s.maxLength = limit(rule);
    else if (rule.name === 'min') s.minLength = limit(rule);
    else if (rule.name === 'email') s.format = 'email';
    else if (rule.name === 'guid' || rule.name === 'uuid') s.format = 'uuid';
    else if (rule.name === 'uri') s.format = 'uri';
    else if (rule.name === 'isoDate') s.format = 'date-time';
    else if (rule.name === 'pattern' && !(rule.args?.options as { invert?: boolean } | undefined)?.invert) {
      const regex = String(rule.args?.regex);
      s.pattern = regex.slice(1, regex.lastIndexOf('/'));
    }
  }
  return s;
}

function numberSchema(rules: Rule[]): JsonSchema {
  const s: JsonSchema = { type: rules.some((r) => r.name === 'integer') ? 'integer' : 'number' };
  for (const rule of rules) {
    if (rule.name === 'min') s.minimum = limit(rule);
    else if (rule.name === 'max') s.maximum = limit(rule);
    else if (rule.name === 'greater') s.exclusiveMinimum = limit(rule);
    else if (rule.name === 'less') s.exclusiveMaximum = limit(rule);
  }
  return s;
}

function arraySchema(d: Description): JsonSchema {
  const s: JsonSchema = { type: 'array' };
  if (d.items?.length === 1) s.items = fromDescription(d.items[0]!);
  else if (d.items?.length) s.items = { anyOf: d.items.map(fromDescription) };
  for (const rule of d.rules ?? []) {
    if (rule.name === 'max') s.maxItems = limit(rule);
    else if (rule.name === 'min') s.minItems = limit(rule);
    else if (rule.name === 'unique') s.uniqueItems = true;
  }
  return s;
}

function objectSchema(d: Description): JsonSchema {
  if (!d.keys) return { type: 'object' };
  // A forbidden key is refused when sent: it is not part of the body.
  const entries = Object.entries(d.keys).filter(([, k]) => k.flags?.presence !== 'forbidden');
  const required = entries.filter(([, k]) => k.flags?.presence === 'required').map(([name]) => name);
  const min = d.rules?.find((r) => r.name === 'min');
  return {
    type: 'object',
    properties: Object.fromEntries(entries.map(([name, k]) => [name, fromDescription(k)])),
    ...(required.length ? { required } : {}),
    ...(min ? { minProperties: limit(min) } : {}),
    additionalProperties: d.flags?.unknown === true,
  };
}

function baseSchema(d: Description): JsonSchema {
  const values = (d.allow ?? []).filter((v) => v !== null);
  if (d.flags?.only) return { enum: values };
  switch (d.type) {
    case 'string':
      return stringSchema(d.rules ?? []);
    case 'number':
      return numberSchema(d.rules ?? []);
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date-time' };
    case 'array':
      return arraySchema(d);
    case 'object':
      return objectSchema(d);
    case 'alternatives':
      return { anyOf: (d.matches ?? []).flatMap((m) => (m.schema ? [fromDescription(m.schema)] : [])) };
    default:
      return {};
  }
}

function fromDescription(d: Description): JsonSchema {
  let s = baseSchema(d);
  // Values allowed beyond the type (an empty string where a format would refuse one).
  const extra = d.flags?.only ? [] : (d.allow ?? []).filter((v) => v !== null);
  if (extra.length && (s.format !== undefined || s.pattern !== undefined || s.minLength !== undefined))
    s = { anyOf: [s, { enum: extra }] };
  if (d.allow?.includes(null)) s = orNull(s);
  const def = d.flags?.default;
  if (def !== undefined && typeof def !== 'function') s.default = def;
  if (d.flags?.description) s.description = d.flags.description;
  return s;
}

/** The schema, or null. */
export function orNull(s: JsonSchema): JsonSchema {
  if (typeof s.type === 'string') return { ...s, type: [s.type, 'null'] };
  if (Array.isArray(s.enum)) return { ...s, enum: [...(s.enum as unknown[]), null] };
  if (Array.isArray(s.anyOf)) return { ...s, anyOf: [...(s.anyOf as JsonSchema[]), { type: 'null' }] };
  return { anyOf: [s, { type: 'null' }] };
}

/**
 * The query parameters a joi object schema validates (a service that validates its query with joi), each
 * with its converted schema; `descriptions` says what each one means.
 */
export function joiQueryParams(schema: Joi.Schema, descriptions: Record<string, string>): QueryParam[] {
  const object = joiToJsonSchema(schema);
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => {
    const description = descriptions[name];
    if (!description) throw new Error(`Query parameter "${name}" has no description`);
    return { name, description, schema: s, ...(required.has(name) ? { required: true } : {}) };
  });
}
