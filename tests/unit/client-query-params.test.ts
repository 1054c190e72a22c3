import { LIST_OPTIONS as CLIENT_LIST_OPTIONS, TEXT_OPERATORS } from '../../client/src/query.js';
import { OPERATORS } from '../../src/crud/filter/querystring';
import { LIST_OPTIONS } from '../../src/http/v1/list-params';

/**
 * client/ is a dependency-free package and cannot import the server, so it keeps its own copy of the
 * query-string vocabulary it writes; these are the server's, and the two must not drift apart.
 */
it('reserves the same list option names as the server reads', () => {
  expect([...CLIENT_LIST_OPTIONS].sort()).toEqual([...LIST_OPTIONS].sort());
});

it('writes only `field[op]` operators the server reads, each meaning the same operator', () => {
  for (const [op, name] of Object.entries(TEXT_OPERATORS)) expect(OPERATORS[name]).toBe(op);
});
