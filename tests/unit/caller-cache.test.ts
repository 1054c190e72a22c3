import { CallerCache } from '../../src/auth/caller-cache';

/** What a read stores and when: only rows no heard change could have made stale. */
type Row = { id: string; role: string };

function hearingCache(): CallerCache<Row> {
  const cache = new CallerCache<Row>({ ttlMs: 60_000, maxEntries: 2 });
  cache.setHearing(true);
  return cache;
}

/** The row `cache` answers for `id` when a fresh read would say `support`: a kept row if there is one. */
const served = (cache: CallerCache<Row>, id: string) => cache.read(id, async () => ({ id, role: 'support' }));

/** Reads user a (as an admin) with a load that finishes only after `change` has been heard. */
async function readWhile(cache: CallerCache<Row>, change: () => void): Promise<void> {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const reading = cache.read('a', async () => (await done, { id: 'a', role: 'admin' }));
  change();
  finish();
  await reading;
}

it('keeps a read row and serves it until that user is forgotten', async () => {
  const cache = hearingCache();
  await cache.read('a', async () => ({ id: 'a', role: 'admin' }));
  expect(await served(cache, 'a')).toEqual({ id: 'a', role: 'admin' });
  cache.forget('a');
  expect(await served(cache, 'a')).toEqual({ id: 'a', role: 'support' });
});

it('does not keep a row read while a change to that user was heard', async () => {
  const cache = hearingCache();
  await readWhile(cache, () => cache.forget('a'));
  expect(await served(cache, 'a')).toEqual({ id: 'a', role: 'support' });
});

it('keeps a row read while a change to someone else was heard', async () => {
  const cache = hearingCache();
  await readWhile(cache, () => cache.forget('b'));
  expect(await served(cache, 'a')).toEqual({ id: 'a', role: 'admin' });
});

it('does not keep a row read while every user was forgotten, nor anything while not hearing', async () => {
  const cache = hearingCache();
  await readWhile(cache, () => cache.forget());
  expect(await served(cache, 'a')).toEqual({ id: 'a', role: 'support' });
  cache.setHearing(false);
  expect(await cache.read('a', async () => ({ id: 'a', role: 'manager' }))).toEqual({
    id: 'a',
    role: 'manager',
  });
});

it('holds at most maxEntries rows, dropping the one kept longest ago', async () => {
  const cache = hearingCache();
  for (const id of ['a', 'b', 'c']) await cache.read(id, async () => ({ id, role: 'admin' }));
  expect(await served(cache, 'a')).toEqual({ id: 'a', role: 'support' });
  expect(await served(cache, 'c')).toEqual({ id: 'c', role: 'admin' });
});
