import { Utils } from 'sequelize';

/**
 * The Sequelize expression classes whose own properties are all that decides the SQL they write. Any other
 * object (a data type, a model, an unknown expression) makes a query's shape unknown.
 */
const EXPRESSIONS = new Map<unknown, string>([
  [Utils.Literal, 'Literal'],
  [Utils.Col, 'Col'],
  [Utils.Fn, 'Fn'],
  [Utils.Cast, 'Cast'],
  [Utils.Where, 'Where'],
  [Utils.Json, 'Json'],
]);

class UnknownShape extends Error {}

/**
 * A string that tells apart any two query option trees Sequelize could write differently: every key (column
 * names and operator symbols alike, in order), every value and every expression's class and properties, each
 * encoded so that no two different trees give the same string. Meant for trees whose values are bound
 * (./bound-values.ts): then the string names the query's shape, and requests of one shape share it.
 * Undefined when the tree holds something whose SQL this cannot vouch for.
 */
export function queryShape(options: object): string | undefined {
  try {
    return encode(options);
  } catch (err) {
    if (err instanceof UnknownShape) return undefined;
    throw err;
  }
}

function encode(node: unknown): string {
  switch (typeof node) {
    case 'string':
      return `s${JSON.stringify(node)}`;
    case 'number':
      return `n${Object.is(node, -0) ? '-0' : String(node)}`;
    case 'bigint':
      return `i${String(node)}`;
    case 'boolean':
      return node ? 'T' : 'F';
    case 'undefined':
      return 'U';
    case 'symbol': {
      // Sequelize's operators are registered symbols (`Symbol.for('eq')`); two unregistered symbols can
      // share a description.
      const name = Symbol.keyFor(node);
      if (name === undefined) throw new UnknownShape();
      return `y${JSON.stringify(name)}`;
    }
    case 'object':
      return encodeObject(node);
    default:
      throw new UnknownShape();
  }
}

function encodeObject(node: object | null): string {
  if (node === null) return 'N';
  if (Array.isArray(node)) return `[${node.map(encode).join(',')}]`;
  if (node instanceof Date) return `d${node.getTime()}`;
  if (Buffer.isBuffer(node)) return `x${node.toString('hex')}`;
  const proto = Object.getPrototypeOf(node) as { constructor?: unknown } | null;
  const tag = proto === Object.prototype || proto === null ? '' : EXPRESSIONS.get(proto.constructor);
  if (tag === undefined) throw new UnknownShape();
  const entries = Reflect.ownKeys(node).map(
    (key) => `${encode(key)}:${encode((node as Record<string | symbol, unknown>)[key])}`,
  );
  return `${tag}{${entries.join(',')}}`;
}
