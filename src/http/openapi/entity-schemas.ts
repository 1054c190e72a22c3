import type { EntityRegistry } from '../../crud/registry';
import type { Declaration } from '../../schema/entity';
import { NOW, type Field } from '../../schema/fields';
import { joiToJsonSchema, orNull } from './joi-schema';
import type { JsonSchema } from './types';

/** How a stored value of each field kind appears in a response body. */
function valueSchema(field: Field, relatedTypes: readonly string[]): JsonSchema {
  const s = field.spec;
  switch (s.kind) {
    case 'string':
    case 'text':
    case 'phone':
      return { type: 'string', ...(s.length ? { maxLength: s.length } : {}) };
    case 'email':
      return { type: 'string', format: 'email' };
    case 'url':
      return { type: 'string', format: 'uri' };
    case 'integer':
      return { type: 'integer', ...bounds(field) };
    case 'decimal':
    case 'float':
      return { type: 'number', ...bounds(field) };
    case 'boolean':
      return { type: 'boolean' };
    case 'timestamp':
      return { type: 'string', format: 'date-time' };
    case 'enum':
      return { type: 'string', enum: [...(s.values ?? [])] };
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    case 'ref':
      return { type: 'string', format: 'uuid', description: `Id of a ${s.target}` };
    case 'json':
      return {};
    case 'list':
      return {
        type: 'array',
        items: { type: 'string', ...(s.itemKind === 'email' ? { format: 'email' } : {}) },
      };
    case 'relatedType':
      return { type: 'string', enum: [...relatedTypes] };
  }
}

const bounds = (field: Field): JsonSchema => ({
  ...(field.spec.min !== undefined ? { minimum: field.spec.min } : {}),
  ...(field.spec.max !== undefined ? { maximum: field.spec.max } : {}),
});

function fieldSchema(field: Field, relatedTypes: readonly string[]): JsonSchema {
  const s: JsonSchema = { ...valueSchema(field, relatedTypes) };
  if (field.spec.description) s.description = field.spec.description;
  if (field.spec.readOnly) s.readOnly = true;
  const def = field.spec.defaultValue;
  if (def !== undefined && def !== NOW) s.default = def;
  return field.allowsNull ? orNull(s) : s;
}

/**
 * A record as responses carry it: every field but hidden ones. Roles may see fewer (a role's unreadable
 * fields are left out), and `fields=` narrows it further.
 */
export function recordSchema(
  decl: Declaration,
  relatedTypes: readonly string[],
  omit: readonly string[] = [],
): JsonSchema {
  const fields = Object.entries(decl.fields).filter(([name, f]) => !f.spec.hidden && !omit.includes(name));
  return {
    type: 'object',
    ...(decl.description ? { description: decl.description } : {}),
    properties: Object.fromEntries(fields.map(([name, f]) => [name, fieldSchema(f, relatedTypes)])),
    required: ['id'],
  };
}

/** `Lead`, `LeadCreate`, `LeadUpdate` for each entity: records from the declaration, bodies from its joi schemas. */
export function entitySchemas(registry: EntityRegistry): Record<string, JsonSchema> {
  const relatedTypes = [...registry.relatedTypes.keys()];
  const schemas: Record<string, JsonSchema> = {};
  for (const rt of registry.all()) {
    const name = rt.decl.name;
    schemas[name] = recordSchema(rt.decl, relatedTypes);
    schemas[`${name}Create`] = joiToJsonSchema(rt.schemas.create);
    schemas[`${name}Update`] = joiToJsonSchema(rt.schemas.update);
  }
  return schemas;
}
