import { Op, Sequelize, type WhereOptions } from 'sequelize';
import { bindWhere, BoundValues } from '../../src/crud/bound-values';
import { compileFilter, compileSearch } from '../../src/crud/filter/compile';
import { findPage } from '../../src/crud/find-page';
import { keysetWhere } from '../../src/crud/ordering';
import { selectSql } from '../../src/crud/select-sql';
import type { AnyModel } from '../../src/db/models';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant } from '../helpers/tenant';

/**
 * A list binds its values instead of letting Sequelize write them into the SQL. Every condition the filter
 * language, the search, a scope and a cursor produce must select exactly the rows the same condition selects
 * with its values written in, whatever the value's type, and the text must hold none of the values.
 */
let t: TestApp;
let Lead: AnyModel;
let organizationId: string;
const run = `bv${Date.now().toString(36)}`;

beforeAll(async () => {
  t = await startTestApp();
  const org = await createTenant(t.c, 'Bound Values Org');
  organizationId = org.organizationId;
  Lead = t.c.models.get('Lead');
  const base = new Date('2026-03-01T12:00:00.000Z').getTime();
  await Lead.bulkCreate(
    Array.from({ length: 12 }, (_, i) => ({
      organization_id: organizationId,
      email: `lead${i}.${run}@bound.example.com`,
      first_name: i % 3 === 0 ? `O'Brien ${i}` : `Ada ${i}`,
      company: i % 4 === 0 ? null : `Company $1 ${i % 2 ? '100%' : 'under_score'}`,
      status: (['new', 'contacted', 'qualified'] as const)[i % 3],
      lead_score: i * 7,
      annual_revenue: i % 5 === 0 ? null : `${i * 1000}.50`,
      converted_date: i % 2 ? new Date(base + i * 86_400_000) : null,
      tags: i % 2 ? ['vip', `t${i % 3}`] : [],
      custom_fields: i % 3 ? { rank: i, tier: i % 2 ? 'gold' : 'silver', labels: ['x', `l${i}`] } : {},
      assigned_to: i % 2 ? org.rep.id : null,
      created_by: org.admin.id,
      created_at: new Date(base - i * 60_000),
    })),
  );
});
afterAll(() => t.close());

const fields = { field: (name: string) => t.c.registry.get('Lead').decl.fields[name] };
const inOrg = (where: WhereOptions): WhereOptions => ({
  [Op.and]: [{ organization_id: organizationId }, where],
});
const SORT = [
  { field: 'created_at', desc: true },
  { field: 'id', desc: true },
];

async function bothWays(where: WhereOptions): Promise<{ inlined: string[]; bound: string[] }> {
  const inlined = (await Lead.findAll({
    where: inOrg(where),
    attributes: ['id'],
    order: [
      ['created_at', 'DESC'],
      ['id', 'DESC'],
    ],
    raw: true,
  })) as unknown as { id: string }[];
  const bound = await findPage(Lead, { anyOf: [inOrg(where)], attributes: ['id'], sort: SORT, limit: 100 });
  return { inlined: inlined.map((r) => r.id), bound: bound.map((r) => r.id as string) };
}

const FILTERS: Record<string, unknown>[] = [
  { status: 'qualified' },
  { status: { $ne: 'new' } },
  { status: { $in: ['new', 'qualified'] } },
  { status: { $nin: ['new', null] } },
  { lead_score: { $gt: 20, $lte: 63 } },
  { annual_revenue: { $gte: '3000.5' } },
  { annual_revenue: null },
  { annual_revenue: { $exists: true } },
  { converted_date: { $lt: '2026-03-08T00:00:00Z' } },
  { first_name: { $like: "o'brien%" } },
  { company: { $regex: '\\$1 100%$' } },
  { company: { $regex: '^company', $options: 'i' } },
  { tags: 'vip' },
  { tags: { $all: ['vip', 't1'] } },
  { tags: { $in: ['t0', 't2'] } },
  { tags: ['vip', 't1'] },
  { tags: { $size: 0 } },
  { 'custom_fields.tier': 'gold' },
  { 'custom_fields.rank': { $gte: 5 } },
  { 'custom_fields.labels': 'l4' },
  { 'custom_fields.rank': { $in: [1, 2, 4] } },
  { 'custom_fields.tier': { $exists: false } },
  { $or: [{ status: 'new' }, { lead_score: { $gte: 70 } }], $nor: [{ tags: 't0' }] },
  { $and: [{ status: { $not: { $in: ['contacted'] } } }, { company: { $exists: true } }] },
];

it.each(FILTERS.map((f) => [JSON.stringify(f), f]))(
  'selects what the values written in select: %s',
  async (_name, filter) => {
    const { inlined, bound } = await bothWays(compileFilter(filter, fields));
    expect(bound).toEqual(inlined);
  },
);

it('selects what the values written in select, for a search and a cursor', async () => {
  const searchable = ['first_name', 'company'].map((name) => ({ name, field: fields.field(name)! }));
  for (const term of ["o'brien", '$1 100%', 'under_score', 'nobody']) {
    const { inlined, bound } = await bothWays(compileSearch(term, searchable));
    expect(bound).toEqual(inlined);
  }
  const [, , third] = (await Lead.findAll({
    where: { organization_id: organizationId },
    order: [
      ['created_at', 'DESC'],
      ['id', 'DESC'],
    ],
    raw: true,
  })) as unknown as { id: string; created_at: Date }[];
  const after = keysetWhere(SORT, [third!.created_at.toISOString(), third!.id], () => false);
  const { inlined, bound } = await bothWays(after);
  expect(bound).toHaveLength(9);
  expect(bound).toEqual(inlined);
});

it('selects what the values written in select, for where trees the filter language does not write', async () => {
  const trees: WhereOptions[] = [
    { lead_score: { [Op.or]: [7, 14] } },
    { lead_score: { [Op.and]: { [Op.gt]: 7, [Op.lt]: 28 } } },
    { lead_score: { [Op.between]: [14, 42] }, status: { [Op.not]: 'new' } },
    { lead_score: [0, 7] },
    { [Op.or]: [{ status: 'new' }, { lead_score: { [Op.gte]: 70 } }] },
    Sequelize.where(Sequelize.col('lead_score'), Op.between, [7, 21]),
    Sequelize.where(Sequelize.fn('lower', Sequelize.col('first_name')), Op.eq, 'ada 1'),
    Sequelize.where(Sequelize.col('converted_date'), Op.is, null),
    { converted_date: { [Op.gt]: new Date('2026-03-05T00:00:00Z') } },
  ];
  for (const where of trees) {
    const { inlined, bound } = await bothWays(where);
    expect(bound).toEqual(inlined);
    expect(inlined.length).toBeGreaterThan(0);
  }
});

it('writes no value into the text, and the same shape as the same text', () => {
  const text = (filter: unknown) => {
    const bound = new BoundValues();
    const where = bindWhere(inOrg(compileFilter(filter, fields)), bound);
    return { sql: selectSql(Lead, { where, attributes: ['id'] }), bound };
  };
  const one = text({ status: 'new', lead_score: { $in: [1, 2] }, 'custom_fields.tier': 'gold' });
  const other = text({ status: 'lost', lead_score: { $in: [3, 4] }, 'custom_fields.tier': 'silver' });
  expect(one.sql).toBe(other.sql);
  expect(other.bound.values).toEqual([organizationId, 'lost', 3, 4, 'silver', JSON.stringify('silver')]);
  for (const value of ['lost', 'silver', organizationId]) expect(other.sql).not.toContain(value);
});

it('tells when one plan would not fit every value: a range, a pattern, a containment', () => {
  const fits = (filter: unknown) => {
    const bound = new BoundValues();
    bindWhere(compileFilter(filter, fields), bound);
    return bound.planFitsAnyValue;
  };
  expect(fits({ status: { $in: ['new'] }, assigned_to: { $ne: null } })).toBe(true);
  expect(fits({ lead_score: { $gt: 5 } })).toBe(false);
  expect(fits({ email: { $like: '%@x.com' } })).toBe(false);
  expect(fits({ tags: 'vip' })).toBe(false);
});
