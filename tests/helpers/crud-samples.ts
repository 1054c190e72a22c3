import crypto from 'node:crypto';
import type { EntityRegistry, EntityRuntime } from '../../src/crud/registry';
import type { Field } from '../../src/schema/fields';
import type { Client } from './crud-api';
import type { Tenant } from './tenant';

export type Values = Record<string, unknown>;

/**
 * What the generic generator cannot guess: json fields with a schema, write-only inputs, and values whose
 * computed results a test wants to know in advance. Keys are entity names; each may look up (and so create)
 * records it points at through `s.ref`.
 */
const OVERRIDES: Record<string, (s: SampleMaker) => Promise<Values> | Values> = {
  User: () => ({ password: 'sample-password-123' }),
  Order: async (s) => ({
    items: [
      { product_id: await s.ref('Product'), quantity: 3, unit_price: 10, discount: 1.5 },
      { product_id: await s.ref('Product'), quantity: 1, unit_price: 0.1, description: 'free sample' },
    ],
    discount_amount: 2,
    tax_amount: 3.3,
    shipping_amount: 4,
  }),
  Invoice: () => ({ subtotal: 200, tax_amount: 20.2, discount_amount: 10, amount_paid: 50.1 }),
  Meeting: () => ({ attendees: [{ email: 'guest@example.com', name: 'A Guest' }] }),
  Workflow: () => ({
    conditions: { status: 'new' },
    actions: [{ type: 'send_email', config: { template: 'welcome' } }],
  }),
};

/** Values the server computes from an override sample (see OVERRIDES). */
export const COMPUTED: Record<string, Values> = {
  // 3 × 10 − 1.5 + 1 × 0.1 = 28.6; − 2 + 3.3 + 4 = 33.9
  Order: { subtotal: 28.6, total_amount: 33.9 },
  // 200 + 20.2 − 10 = 210.2; − 50.1 = 160.1
  Invoice: { total_amount: 210.2, balance_due: 160.1 },
};

const BASE_TIME = Date.parse('2026-03-04T05:06:07.000Z');
const HOUR = 3_600_000;

export const tag = (): string => crypto.randomBytes(4).toString('hex');

/** Fields a client may send on create: declared, neither read-only nor hidden. */
export function writableFields(rt: EntityRuntime): [string, Field][] {
  return Object.entries(rt.decl.fields).filter(
    ([name, field]) => rt.schemas.writable.has(name) && !field.spec.readOnly && !field.spec.hidden,
  );
}

/** Text fields a test can overwrite with any short string (not unique, long enough). */
export function editableTextFields(rt: EntityRuntime): string[] {
  return writableFields(rt)
    .filter(
      ([, f]) =>
        (f.spec.kind === 'string' || f.spec.kind === 'text') &&
        !f.spec.unique &&
        (f.spec.length ?? 1000) >= 40,
    )
    .map(([name]) => name);
}

function midpoint(min: number | undefined, max: number | undefined, fallback: number): number {
  if (max === undefined) return (min ?? 0) + fallback;
  return ((min ?? 0) + max) / 2;
}

/**
 * Builds valid records for any declared entity from its declaration, creating the records they point at
 * through the API first (each kind once per maker). References to users point at the tenant's admin.
 */
export class SampleMaker {
  private readonly deps = new Map<string, Promise<string>>();

  constructor(
    private readonly registry: EntityRegistry,
    private readonly api: Client,
    private readonly tenant: Tenant,
  ) {}

  /** The id of a record of `entity` this tenant owns, for a reference to point at. */
  ref(entity: string): Promise<string> {
    if (entity === 'User') return Promise.resolve(this.tenant.admin.id);
    let id = this.deps.get(entity);
    if (!id) {
      id = this.create(entity, 'required').then((r) => r.id as string);
      this.deps.set(entity, id);
    }
    return id;
  }

  /**
   * A valid body: every writable field (`full`) or only the required ones (`required`), with values that
   * differ from the defaults so an echo proves they were stored.
   */
  async values(entity: string, mode: 'full' | 'required' = 'full'): Promise<Values> {
    const rt = this.registry.get(entity);
    const t = tag();
    const override = (await OVERRIDES[entity]?.(this)) ?? {};
    const body: Values = {};
    const fields = writableFields(rt);
    for (const [position, [name, field]] of fields.entries()) {
      if (mode === 'required' && !field.spec.required) continue;
      if (name in override) body[name] = override[name];
      else if (name === 'related_id')
        continue; // set together with related_type
      else body[name] = await this.value(rt, name, field, t, position);
    }
    if (body.related_type === 'lead' && 'related_id' in rt.decl.fields)
      body.related_id = await this.ref('Lead');
    for (const name of Object.keys(rt.decl.inputs)) {
      if (mode === 'full' || name in override) {
        if (!(name in override))
          throw new Error(`Add a sample for the input ${entity}.${name} in crud-samples.ts`);
        body[name] = override[name];
      }
    }
    return body;
  }

  async create(entity: string, mode: 'full' | 'required' = 'full', extra: Values = {}): Promise<Values> {
    const rt = this.registry.get(entity);
    const body = { ...(await this.values(entity, mode)), ...extra };
    const res = await this.api.post(`/api/v1/${rt.decl.path}`, body);
    if (res.status !== 201) {
      throw new Error(`Could not create a sample ${entity}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body.data as Values;
  }

  private async value(
    rt: EntityRuntime,
    name: string,
    field: Field,
    t: string,
    position: number,
  ): Promise<unknown> {
    const s = field.spec;
    switch (s.kind) {
      case 'string':
        // Short codes such as a currency get letters only.
        return (s.length ?? 255) < 10
          ? t.replace(/\d/g, 'x').slice(0, s.length).toUpperCase()
          : `${name}-${t}`.slice(0, s.length);
      case 'text':
        return `Some ${name} text ${t}`;
      case 'email':
        return `${name.replace(/_/g, '.')}.${t}@sample.example.com`;
      case 'url':
        return `https://example.com/${name}/${t}`;
      case 'phone':
        // A number of its own: lead screening takes a repeated phone for a duplicate submission.
        return `+1 555 ${String(1_000_000 + crypto.randomInt(8_999_999))} ext. 12`;
      case 'integer':
        return Math.floor(midpoint(s.min, s.max, 42));
      case 'decimal':
        return Math.round(midpoint(s.min, s.max, 1234.56) * 100) / 100;
      case 'float':
        return 2.5;
      case 'boolean':
        return s.defaultValue !== true;
      case 'timestamp':
        // Later fields get later times, so an end never comes before its start.
        return new Date(BASE_TIME + position * HOUR).toISOString();
      case 'enum':
        return s.values!.find((v) => v !== s.defaultValue) ?? s.values![0];
      case 'uuid':
        return crypto.randomUUID();
      case 'ref':
        return this.ref(s.target!);
      case 'json':
        if (s.schema)
          throw new Error(`Add a sample for ${rt.decl.name}.${name} (json with a schema) in crud-samples.ts`);
        return { sample: t, nested: { n: 1, on: true }, list: ['a', 'b'] };
      case 'list':
        return s.itemKind === 'email'
          ? [`first.${t}@sample.example.com`, `second.${t}@sample.example.com`]
          : ['alpha', `t-${t}`];
      case 'relatedType':
        // A polymorphic link points at a lead of the tenant; related_id goes with it.
        return 'lead';
    }
  }
}

/**
 * The value a response must carry for a value that was sent: timestamps come back as ISO in UTC,
 * emails in lower case, json possibly with defaults or computed members added.
 */
export function expectEcho(rt: EntityRuntime, sent: Values, got: Values): void {
  for (const [name, value] of Object.entries(sent)) {
    const field = rt.decl.fields[name];
    if (!field) continue; // a write-only input
    const where = `${rt.decl.name}.${name}`;
    switch (field.spec.kind) {
      case 'timestamp':
        expect({ [where]: got[name] }).toEqual({ [where]: new Date(value as string).toISOString() });
        break;
      case 'json':
        expect({ [where]: got[name] }).toMatchObject({ [where]: value as object });
        break;
      default:
        expect({ [where]: got[name] }).toEqual({ [where]: value });
    }
  }
}
