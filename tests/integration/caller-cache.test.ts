import type { Sequelize } from 'sequelize';
import { CallerCache } from '../../src/auth/caller-cache';
import { Directory, type UserRow } from '../../src/auth/directory';
import { hearUserChanges } from '../../src/auth/user-changes';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant } from '../helpers/tenant';

/**
 * The caller's user row is reused only while every change to users is heard: this instance's writes through
 * the model at once, anyone else's through the trigger's notification, and nothing while that channel is down.
 * The embedded database does not deliver notifications to other connections: there, nothing is reused.
 */
const onServer = process.env.TEST_DATABASE_KIND !== 'embedded';
const it = onServer ? global.it : global.it.skip;
let t: TestApp;
let org: Tenant;
let cache: CallerCache<UserRow>;
let directory: Directory;
let hearing: { close(): Promise<void>; readonly processId?: number };

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Changes a user's role in a session whose triggers do not fire: nobody hears of it. */
async function silently(sequelize: Sequelize, id: string, role: string): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    await sequelize.query(`SET LOCAL session_replication_role = replica`, { transaction });
    await sequelize.query(`UPDATE users SET role = $1 WHERE id = $2`, { bind: [role, id], transaction });
  });
}

const roleOf = async (id: string) => {
  const found = await directory.current(id);
  return 'actor' in found ? found.actor.role : found.refused;
};

beforeAll(async () => {
  if (!onServer) return;
  t = await startTestApp();
  org = await createTenant(t.c, 'Caller Cache Org');
  cache = new CallerCache({ ttlMs: 60_000, maxEntries: 100 });
  const users = t.c.models.get('User');
  directory = new Directory(users, cache);
  hearing = hearUserChanges(users, cache, {
    url: t.c.config.database.url,
    ssl: 'off',
    logger: t.c.logger,
  });
  await until('the listener hears', () => cache.active);
});
afterAll(async () => {
  if (!onServer) return;
  await hearing.close();
  await t.close();
});

it('forgets every user when told that the whole table changed (an empty payload: TRUNCATE)', async () => {
  const { id } = org.manager;
  expect(await roleOf(id)).toBe('manager');
  await silently(t.c.sequelize, id, 'support');
  const forget = jest.spyOn(cache, 'forget');
  try {
    await t.c.sequelize.query(`SELECT pg_notify('nexa_users_changed', '')`);
    await until('the notification arrives', () => forget.mock.calls.some((args) => args[0] === undefined));
    expect(await roleOf(id)).toBe('support');
  } finally {
    forget.mockRestore();
    await t.c.models.get('User').update({ role: 'manager' }, { where: { id } });
  }
});

it('serves a user from memory until a change to them is heard', async () => {
  const { id } = org.support;
  expect(await roleOf(id)).toBe('support');
  await silently(t.c.sequelize, id, 'manager');
  expect(await roleOf(id)).toBe('support');

  // A change made in the database, by no model: the trigger's notification drops the kept row.
  const forget = jest.spyOn(cache, 'forget');
  try {
    await t.c.sequelize.query(`UPDATE users SET is_active = false WHERE id = $1`, { bind: [id] });
    await until('the notification arrives', () => forget.mock.calls.some(([u]) => u === id));
    expect(await roleOf(id)).toBe('gone');
  } finally {
    forget.mockRestore();
    await t.c.models.get('User').update({ is_active: true, role: 'support' }, { where: { id } });
  }
  expect(await roleOf(id)).toBe('support');
});

it("applies this instance's own changes at the very next read, without waiting for a notification", async () => {
  const users = t.c.models.get('User');
  const { id } = org.teamRep;
  expect(await roleOf(id)).toBe('sales_rep');
  await users.update({ is_active: false }, { where: { id } });
  expect(await roleOf(id)).toBe('gone');
  await users.update({ is_active: true }, { where: { id } });
  expect(await roleOf(id)).toBe('sales_rep');

  // Through an instance and a transaction: dropped again when it commits (a read in between saw the old row).
  await t.c.sequelize.transaction(async (transaction) => {
    const row = (await users.findByPk(id, { transaction }))!;
    row.set('role', 'support');
    await row.save({ transaction });
    expect(await roleOf(id)).toBe('sales_rep');
  });
  expect(await roleOf(id)).toBe('support');
  await users.update({ role: 'sales_rep' }, { where: { id } });
});

it('reads every time while the notification channel is down, and uses memory again once it is back', async () => {
  const { id } = org.soloRep;
  expect(await roleOf(id)).toBe('sales_rep');
  const pid = hearing.processId!;
  await t.c.sequelize.query('SELECT pg_terminate_backend($1)', { bind: [pid] });
  await until('the listener notices', () => !cache.active);
  await silently(t.c.sequelize, id, 'support');
  expect(await roleOf(id)).toBe('support');

  await until('the listener is back', () => cache.active, 10_000);
  expect(hearing.processId).not.toBe(pid);
  await silently(t.c.sequelize, id, 'sales_rep');
  // Nothing was kept across the gap: the first read after it is fresh, the second one from memory.
  expect(await roleOf(id)).toBe('sales_rep');
  await silently(t.c.sequelize, id, 'manager');
  expect(await roleOf(id)).toBe('sales_rep');
  await t.c.models.get('User').update({ role: 'sales_rep' }, { where: { id } });
});

it('refuses a deactivated user on another instance once it hears of the change', async () => {
  const other = await startTestApp();
  try {
    await until('the other instance hears', async () => {
      const res = await other.http.get('/health/ready');
      return res.status === 200;
    });
    await t.http.get('/api/v1/leads?limit=1').set(org.manager.auth).expect(200);
    await other.http
      .patch(`/api/v1/users/${org.manager.id}`)
      .set(org.admin.auth)
      .send({ is_active: false })
      .expect(200);
    await until('the first instance refuses', async () => {
      const res = await t.http.get('/api/v1/leads?limit=1').set(org.manager.auth);
      return res.status === 401;
    });
  } finally {
    await other.close();
  }
});
