import type Joi from 'joi';
import type { JsonSchema } from './types';

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
export function joiToJsonSchema(schema: Joi.Schema): JsonSchema {
  return fromDescription(schema.describe() as Description);
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
  const entries = Object.entries(d.keys);
  const required = entries.filter(([, k]) => k.flags?.presence === 'required').map(([name]) => name);
  return {
    type: 'object',
    properties: Object.fromEntries(entries.map(([name, k]) => [name, fromDescription(k)])),
    ...(required.length ? { required } : {}),
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
