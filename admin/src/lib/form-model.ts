import type { FieldProblem } from '../api/errors';
import type { FieldMeta } from './meta';

/** Form values are what inputs hold: strings, and booleans for checkboxes. */
export type FormValues = Record<string, string | boolean>;

/** The fields a form edits: the writable ones, as this user's role allows; free-form JSON last. */
export const formFields = (fields: FieldMeta[]) => {
  const writable = fields.filter((f) => f.writable);
  return [...writable.filter((f) => f.kind !== 'json'), ...writable.filter((f) => f.kind === 'json')];
};

const pad = (n: number) => String(n).padStart(2, '0');
/** An ISO timestamp as a datetime-local input value, in the browser's time zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The inputs' starting values: the record's, or the declared defaults for a new record. */
export function initialValues(fields: FieldMeta[], record?: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const f of formFields(fields)) {
    const v = record ? record[f.name] : f.default;
    if (f.kind === 'boolean') values[f.name] = v === true;
    else if (v === null || v === undefined) values[f.name] = '';
    else if (f.kind === 'timestamp') values[f.name] = toLocalInput(String(v));
    else if (f.kind === 'json') values[f.name] = JSON.stringify(v, null, 2);
    else if (f.kind === 'list') values[f.name] = (v as string[]).join(', ');
    else values[f.name] = String(v);
  }
  return values;
}

export interface Parsed {
  body: Record<string, unknown>;
  /** Problems found before sending (malformed JSON, numbers); the server checks the rest. */
  errors: Record<string, string>;
}

/**
 * Form values to a request body. On edit only the fields that changed are sent, so a role that may not
 * set a field never trips over repeating it; an emptied input sends null.
 */
export function toBody(fields: FieldMeta[], values: FormValues, initial?: FormValues): Parsed {
  const body: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of formFields(fields)) {
    const raw = values[f.name];
    if (initial && raw === initial[f.name]) continue;
    if (typeof raw === 'boolean') {
      body[f.name] = raw;
      continue;
    }
    const text = (raw ?? '').trim();
    if (text === '') {
      if (initial) body[f.name] = null;
      continue;
    }
    switch (f.kind) {
      case 'integer':
      case 'decimal':
      case 'float': {
        const n = Number(text);
        if (Number.isNaN(n)) errors[f.name] = 'Enter a number';
        else body[f.name] = n;
        break;
      }
      case 'timestamp':
        body[f.name] = new Date(text).toISOString();
        break;
      case 'json':
        try {
          body[f.name] = JSON.parse(text);
        } catch {
          errors[f.name] = 'Enter valid JSON';
        }
        break;
      case 'list':
        body[f.name] = text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      default:
        body[f.name] = text;
    }
  }
  return { body, errors };
}

/**
 * The server's validation details, by field (`details: [{ field: 'email', message }]`); problems that
 * name no field of the form are returned apart, for a message above it.
 */
export function fieldErrors(
  fields: FieldMeta[],
  details: FieldProblem[],
): { byField: Record<string, string>; general: string[] } {
  const names = new Set(formFields(fields).map((f) => f.name));
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const d of details) {
    // Nested paths (`custom_fields.tier`) belong to their top-level field.
    const field = d.field?.split('.')[0];
    if (field && names.has(field))
      byField[field] = byField[field] ? `${byField[field]}; ${d.message}` : d.message;
    else general.push(d.field ? `${d.field}: ${d.message}` : d.message);
  }
  return { byField, general };
}
