import { isPlainObject } from '../../crud/filter/values';
import { cellValue, normalizeHeader } from '../import/columns';

type Row = Record<string, unknown>;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
}

/** Rows that do not fit the schema, each problem named; the extraction reports them instead of guessing. */
export class SchemaMismatch extends Error {}

const typeOf = (schema: JsonSchema | undefined): string | undefined =>
  Array.isArray(schema?.type) ? schema.type.find((t) => t !== 'null') : schema?.type;

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** A cell (text in CSV, typed in JSON and XLSX) as the schema's type, or undefined when it is not one. */
function coerce(value: unknown, type: string | undefined): { ok: boolean; value?: unknown } {
  if (value === undefined || value === null || value === '') return { ok: true };
  switch (type) {
    case 'number':
    case 'integer': {
      const n = typeof value === 'number' ? value : Number(String(value).replace(/[\s,]/g, ''));
      return Number.isFinite(n) && (type === 'number' || Number.isInteger(n))
        ? { ok: true, value: n }
        : { ok: false };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      const s = String(value).trim().toLowerCase();
      return TRUE.has(s)
        ? { ok: true, value: true }
        : FALSE.has(s)
          ? { ok: true, value: false }
          : { ok: false };
    }
    case 'string':
      return { ok: true, value: value instanceof Date ? value.toISOString() : String(value) };
    case 'array':
      return { ok: true, value: Array.isArray(value) ? value : cellValue('list', value) };
    case 'object': {
      const parsed = isPlainObject(value) ? value : cellValue('json', value);
      return isPlainObject(parsed) ? { ok: true, value: parsed } : { ok: false };
    }
    default:
      return { ok: true, value };
  }
}

function shapeRecord(row: Row, schema: JsonSchema | undefined, where: string, problems: string[]): Row {
  if (!schema?.properties) return row;
  const byName = new Map(Object.keys(row).map((k) => [normalizeHeader(k), k]));
  const out: Row = {};
  for (const [name, prop] of Object.entries(schema.properties)) {
    const source = byName.get(normalizeHeader(name));
    const { ok, value } = coerce(source === undefined ? undefined : row[source], typeOf(prop));
    if (!ok)
      problems.push(`${where}: "${name}" is not ${typeOf(prop) === 'integer' ? 'an' : 'a'} ${typeOf(prop)}`);
    else if (value !== undefined) out[name] = value;
    else if (schema.required?.includes(name)) problems.push(`${where}: "${name}" is required`);
  }
  return out;
}

/**
 * The rows of a file in the shape a Base44 `json_schema` asks for: an array schema gets every row, an object
 * schema with one array property gets the rows there, and any other object schema the first row. Property
 * names match columns ignoring case, spaces and punctuation; values take the property's type.
 */
export function shapeToSchema(rows: Row[], schema: unknown): unknown {
  if (!isPlainObject(schema)) return rows;
  const s = schema as JsonSchema;
  const problems: string[] = [];
  const many = (items: JsonSchema | undefined) =>
    rows.map((row, i) => shapeRecord(row, items, `row ${i + 1}`, problems));
  let output: unknown;
  if (typeOf(s) === 'array') output = many(s.items);
  else {
    const lists = Object.entries(s.properties ?? {}).filter(([, p]) => typeOf(p) === 'array');
    output =
      lists.length === 1 && isPlainObject(lists[0]![1].items)
        ? { [lists[0]![0]]: many(lists[0]![1].items) }
        : shapeRecord(rows[0] ?? {}, s, 'row 1', problems);
  }
  if (problems.length) {
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new SchemaMismatch(
      `The file does not match json_schema: ${problems.slice(0, 5).join('; ')}${more}`,
    );
  }
  return output;
}
