import { literal, Op, Sequelize } from 'sequelize';
import { queryShape } from '../../src/crud/query-shape';

/** Two trees Sequelize could write differently must never share a shape: a shared one reuses the SQL. */
describe('queryShape', () => {
  const distinct: [string, object][] = [
    ['a string', { where: { status: 'new' } }],
    ['another string', { where: { status: 'lost' } }],
    ['a string holding the encoding', { where: { status: 'new"},{"x' } }],
    ['a number', { where: { status: 1 } }],
    ['the number as a string', { where: { status: '1' } }],
    ['minus zero', { where: { status: -0 } }],
    ['zero', { where: { status: 0 } }],
    ['true', { where: { status: true } }],
    ['null', { where: { status: null } }],
    ['undefined', { where: { status: undefined } }],
    ['a bigint', { where: { status: 1n } }],
    ['an array', { where: { status: ['a'] } }],
    ['an object with key 0', { where: { status: { 0: 'a' } } }],
    ['a nested array', { where: { status: [['a']] } }],
    ['a date', { where: { status: new Date(0) } }],
    ['a later date', { where: { status: new Date(1) } }],
    ['a buffer', { where: { status: Buffer.from('a') } }],
    ['an operator', { where: { status: { [Op.eq]: 'a' } } }],
    ['another operator', { where: { status: { [Op.ne]: 'a' } } }],
    ['the operator as a string key', { where: { status: { eq: 'a' } } }],
    ['AND', { where: { [Op.and]: [{ a: 1 }, { b: 2 }] } }],
    ['OR', { where: { [Op.or]: [{ a: 1 }, { b: 2 }] } }],
    ['the other key order', { where: { [Op.or]: [{ b: 2 }, { a: 1 }] } }],
    ['a literal', { where: { id: { [Op.in]: literal('(SELECT 1)') } } }],
    ['another literal', { where: { id: { [Op.in]: literal('(SELECT 2)') } } }],
    ['a column', { where: { id: { [Op.eq]: Sequelize.col('other') } } }],
    ['a function', { where: Sequelize.where(Sequelize.fn('lower', Sequelize.col('a')), Op.eq, 'x') }],
    ['another function', { where: Sequelize.where(Sequelize.fn('upper', Sequelize.col('a')), Op.eq, 'x') }],
    ['another comparator', { where: Sequelize.where(Sequelize.fn('lower', Sequelize.col('a')), Op.ne, 'x') }],
    ['a cast', { where: Sequelize.where(Sequelize.cast(Sequelize.col('a'), 'text'), Op.eq, 'x') }],
    ['another cast', { where: Sequelize.where(Sequelize.cast(Sequelize.col('a'), 'int'), Op.eq, 'x') }],
    ['a limit', { where: {}, limit: 25 }],
    ['another limit', { where: {}, limit: 26 }],
    ['an order', { where: {}, order: [['created_at', 'DESC']] }],
    ['the other order', { where: {}, order: [['created_at', 'ASC']] }],
  ];

  it('gives every one of these trees its own shape', () => {
    const shapes = distinct.map(([name, tree]) => [name, queryShape(tree)] as const);
    for (const [name, shape] of shapes) expect([name, typeof shape]).toEqual([name, 'string']);
    const byShape = new Map<string | undefined, string>();
    for (const [name, shape] of shapes) {
      expect([name, byShape.get(shape)]).toEqual([name, undefined]);
      byShape.set(shape, name);
    }
  });

  it('gives trees built the same way the same shape', () => {
    const build = () => ({
      where: {
        [Op.and]: [
          { organization_id: literal('$1') },
          Sequelize.where(Sequelize.fn('lower', Sequelize.col('email')), Op.like, literal('$2')),
        ],
      },
      attributes: ['id'],
      order: [['created_at', 'DESC']],
      limit: 26,
    });
    expect(queryShape(build())).toBe(queryShape(build()));
    // Sequelize, like lodash's isPlainObject, reads an object without a prototype as a plain one.
    expect(queryShape({ where: Object.assign(Object.create(null) as object, { status: 'new' }) })).toBe(
      queryShape({ where: { status: 'new' } }),
    );
  });

  it('knows no shape for what it cannot vouch for', () => {
    expect(queryShape({ where: { status: { [Symbol('eq')]: 'a' } } })).toBeUndefined();
    expect(queryShape({ where: { status: new (class Custom {})() } })).toBeUndefined();
    expect(queryShape({ where: { status: new String('a') } })).toBeUndefined();
    expect(queryShape({ where: { status: new Map() } })).toBeUndefined();
    expect(queryShape({ where: { status: () => 'a' } })).toBeUndefined();
  });
});
