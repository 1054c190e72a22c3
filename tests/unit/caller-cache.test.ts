import { CallerCache } from '../../src/auth/caller-cache';

/** What a read stores and when: only rows no heard change could have made stale. */
type Row = { id: string; role: string };

function hearingCache(): CallerCache<Row> {
  const cache = new CallerCache<Row>({ ttlMs: 60_000, maxEntries: 2 });
  cache.setHearing(true);
  return cache;
}

/** A load that finishes when told, so a change can be heard while it runs. */
function pending(row: Row) {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return { load: async () => (await done, row), finish };
}

it('keeps a read row and serves it until that user is forgotten', async () => {
  const cache = hearingCache();
  await cache.read('a', async () => ({ id: 'a', role: 'admin' }));
  expect(await cache.read('a', async () => ({ id: 'a', role: 'support' }))).toEqual({
    id: 'a',
    role: 'admin',
  });
  cache.forget('a');
  expect(await cache.read('a', async () => ({ id: 'a', role: 'support' }))).toEqual({
    id: 'a',
    role: 'support',
  });
});

it('does not keep a row read while a change to that user was heard', async () => {
  const cache = hearingCache();
  const slow = pending({ id: 'a', role: 'admin' });
  const reading = cache.read('a', slow.load);
  cache.forget('a');
  slow.finish();
  await reading;
  expect(await cache.read('a', async () => ({ id: 'a', role: 'support' }))).toEqual({
    id: 'a',
    role: 'support',
  });
});

it('keeps a row read while a change to someone else was heard', async () => {
  const cache = hearingCache();
  const slow = pending({ id: 'a', role: 'admin' });
  const reading = cache.read('a', slow.load);
  cache.forget('b');
  slow.finish();
  await reading;
  expect(await cache.read('a', async () => ({ id: 'a', role: 'support' }))).toEqual({
    id: 'a',
    role: 'admin',
  });
});

it('does not keep a row read while every user was forgotten, nor anything while not hearing', async () => {
  const cache = hearingCache();
  const slow = pending({ id: 'a', role: 'admin' });
  const reading = cache.read('a', slow.load);
  cache.forget();
  slow.finish();
  await reading;
  expect(await cache.read('a', async () => ({ id: 'a', role: 'support' }))).toEqual({
    id: 'a',
    role: 'support',
  });
  cache.setHearing(false);
  expect(await cache.read('a', async () => ({ id: 'a', role: 'manager' }))).toEqual({
    id: 'a',
    role: 'manager',
  });
});

it('holds at most maxEntries rows, dropping the one kept longest ago', async () => {
  const cache = hearingCache();
  for (const id of ['a', 'b', 'c']) await cache.read(id, async () => ({ id, role: 'admin' }));
  expect(await cache.read('a', async () => ({ id: 'a', role: 'support' }))).toEqual({
    id: 'a',
    role: 'support',
  });
  expect(await cache.read('c', async () => ({ id: 'c', role: 'support' }))).toEqual({
    id: 'c',
    role: 'admin',
  });
});
