import { literal, Op, Sequelize, type WhereOptions } from 'sequelize';
import { bindWhere, BoundValues } from '../../src/crud/bound-values';
import { compileFilter, compileSearch } from '../../src/crud/filter/compile';
import { keysetWhere } from '../../src/crud/ordering';
import { MAX_TEXTS_PER_MODEL, selectSql, writeSelect, type SelectOptions } from '../../src/crud/select-sql';
import type { AnyModel } from '../../src/db/models';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * A list's SELECTs are remembered per query shape. The text remembered must be the text Sequelize writes for
 * every later request of that shape, and no other shape may ever be given it.
 */
let t: TestApp;
let Lead: AnyModel;
let selectQuery: jest.SpyInstance;

beforeAll(async () => {
  t = await startTestApp();
  Lead = t.c.models.get('Lead');
  // Called through: counts how often Sequelize writes a SELECT.
  selectQuery = jest.spyOn(Lead.sequelize!.getQueryInterface().queryGenerator as never, 'selectQuery');
});
afterAll(() => t.close());

const fields = { field: (name: string) => t.c.registry.get('Lead').decl.fields[name] };
const SORT = [
  { field: 'created_at', desc: true },
  { field: 'id', desc: true },
];
// One array for every call, as a list shares its order among its branches: writing must not change it.
const ORDER: SelectOptions['order'] = [
  ['created_at', 'DESC'],
  ['id', 'DESC'],
];

/** The options a list builds for `where` and these values, bound. */
function listOptions(where: (v: Values) => WhereOptions, v: Values): SelectOptions {
  const bound = new BoundValues();
  return { where: bindWhere(where(v), bound), attributes: ['id', 'email'], order: ORDER, limit: 26 };
}
interface Values {
  org: string;
  text: string;
  n: number;
  at: string;
  id: string;
}
const A: Values = {
  org: '00000000-0000-4000-8000-00000000000a',
  text: "o'brien",
  n: 7,
  at: '2026-03-01T12:00:00.000Z',
  id: '00000000-0000-4000-8000-0000000000a1',
};
const B: Values = {
  org: '00000000-0000-4000-8000-00000000000b',
  text: '100%_$1',
  n: 63,
  at: '2025-01-31T23:59:59.999Z',
  id: '00000000-0000-4000-8000-0000000000b2',
};

const inOrg = (v: Values, where: WhereOptions): WhereOptions => ({
  [Op.and]: [{ organization_id: v.org }, where],
});
const searchable = () => ['first_name', 'company'].map((name) => ({ name, field: fields.field(name)! }));
const SHAPES: [string, (v: Values) => WhereOptions][] = [
  ['equality', (v) => inOrg(v, compileFilter({ status: 'new', email: v.text }, fields))],
  ['membership', (v) => inOrg(v, compileFilter({ email: { $in: ['a@example.com', v.text] } }, fields))],
  ['a range', (v) => inOrg(v, compileFilter({ lead_score: { $gt: v.n, $lte: v.n * 2 } }, fields))],
  ['a pattern', (v) => inOrg(v, compileFilter({ first_name: { $like: `${v.text}%` } }, fields))],
  ['a null test', (v) => inOrg(v, compileFilter({ annual_revenue: null, email: v.text }, fields))],
  ['existence', (v) => inOrg(v, compileFilter({ company: { $exists: true }, email: v.text }, fields))],
  ['tags', (v) => inOrg(v, compileFilter({ tags: { $all: ['vip', v.text] } }, fields))],
  ['JSON', (v) => inOrg(v, compileFilter({ 'custom_fields.rank': { $gte: v.n } }, fields))],
  ['JSON text', (v) => inOrg(v, compileFilter({ 'custom_fields.tier': v.text }, fields))],
  [
    'OR and NOR',
    (v) =>
      inOrg(
        v,
        compileFilter(
          { $or: [{ status: 'new' }, { lead_score: { $gte: v.n } }], $nor: [{ tags: v.text }] },
          fields,
        ),
      ),
  ],
  ['a search', (v) => inOrg(v, compileSearch(v.text, searchable()))],
  [
    'a cursor',
    (v) =>
      inOrg(
        v,
        keysetWhere(SORT, [v.at, v.id], () => false),
      ),
  ],
  ['an owner scope', (v) => inOrg(v, { assigned_to: { [Op.in]: [v.id] } })],
  ['a function', (v) => Sequelize.where(Sequelize.fn('lower', Sequelize.col('first_name')), Op.eq, v.text)],
  ['between', (v) => Sequelize.where(Sequelize.col('lead_score'), Op.between, [v.n, v.n + 1])],
];

it('writes a shape once, and gives later values of it the text Sequelize writes for them', () => {
  for (const [name, where] of SHAPES) {
    const first = selectSql(Lead, listOptions(where, A));
    const calls = selectQuery.mock.calls.length;
    const again = selectSql(Lead, listOptions(where, B));
    expect([name, selectQuery.mock.calls.length]).toEqual([name, calls]);
    expect([name, again]).toEqual([name, first]);
    expect([name, again]).toEqual([name, writeSelect(Lead, listOptions(where, B))]);
  }
});

it('never gives one shape the text of another', () => {
  const options: [string, SelectOptions][] = [
    ...SHAPES.map(([name, where]) => [name, listOptions(where, A)] as [string, SelectOptions]),
    // Trees that differ only in what stays written into the SQL.
    ['IS NULL', { where: { converted_date: { [Op.is]: null } }, attributes: ['id'] }],
    ['IS NOT NULL', { where: { converted_date: { [Op.not]: null } }, attributes: ['id'] }],
    ['IN one literal', { where: { id: { [Op.in]: literal('(SELECT 1)') } }, attributes: ['id'] }],
    ['IN another', { where: { id: { [Op.in]: literal('(SELECT 2)') } }, attributes: ['id'] }],
    [
      'AND',
      { where: { [Op.and]: [{ status: literal('$1') }, { lead_score: literal('$2') }] }, attributes: ['id'] },
    ],
    [
      'OR',
      { where: { [Op.or]: [{ status: literal('$1') }, { lead_score: literal('$2') }] }, attributes: ['id'] },
    ],
    ['another column', { where: { email: { [Op.eq]: literal('$1') } }, attributes: ['id'] }],
    ['other attributes', { where: { email: { [Op.eq]: literal('$1') } }, attributes: ['email'] }],
    ['a limit', { where: { email: { [Op.eq]: literal('$1') } }, attributes: ['id'], limit: 25 }],
    [
      'an offset',
      { where: { email: { [Op.eq]: literal('$1') } }, attributes: ['id'], offset: literal('$2') },
    ],
    ['an order', { where: {}, attributes: ['id'], order: [['email', 'ASC']] }],
    ['the other order', { where: {}, attributes: ['id'], order: [['email', 'DESC']] }],
  ];
  // Each is asked for after all the others were remembered: a shared shape would answer with another's text.
  for (const [, o] of options) selectSql(Lead, o);
  const written = options.map(([name, o]) => [name, writeSelect(Lead, o)]);
  expect(options.map(([name, o]) => [name, selectSql(Lead, o)])).toEqual(written);
  expect(new Set(written.map(([, sql]) => sql)).size).toBe(written.length);
});

it('writes every time what it cannot name the shape of', () => {
  // A String object: Sequelize writes it as its text; the shape does not know the class.
  const where = { email: new String('x'), status: 'new' } as WhereOptions;
  const before = selectQuery.mock.calls.length;
  const sql = selectSql(Lead, { where, attributes: ['id'] });
  selectSql(Lead, { where, attributes: ['id'] });
  expect(selectQuery.mock.calls.length).toBe(before + 2);
  expect(sql).toBe(writeSelect(Lead, { where, attributes: ['id'] }));
});

it(`keeps at most ${MAX_TEXTS_PER_MODEL} texts per model`, () => {
  const first = { where: { email: { [Op.eq]: literal('$1') } }, attributes: ['id'], limit: 1 };
  selectSql(Lead, first);
  for (let i = 2; i <= MAX_TEXTS_PER_MODEL + 1; i++) selectSql(Lead, { ...first, limit: i });
  const before = selectQuery.mock.calls.length;
  selectSql(Lead, first);
  expect(selectQuery.mock.calls.length).toBe(before + 1);
});
