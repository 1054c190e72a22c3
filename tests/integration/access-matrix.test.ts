import { ROLES, type Role } from '../../src/context';
import { rolePolicy } from '../../src/crud/policy';
import type { EntityRuntime } from '../../src/crud/registry';
import type { Scope } from '../../src/schema/entity';
import { entities } from '../../src/entities';
import { startTestApp, type TestApp } from '../helpers/app';
import { apiClient, hiddenFieldNames, type Client } from '../helpers/crud-api';
import { editableTextFields, SampleMaker, type Values } from '../helpers/crud-samples';
import { createTenant, type Tenant, type TestUser } from '../helpers/tenant';

/**
 * Every entity × action × role × whose record it is → the status the policy declarations promise, with
 * refused writes checked to have changed nothing and hidden or unreadable fields never in a response.
 *
 * Whose record, from the actor's side: `own` (every owner field is the actor), `team` (owned by someone who
 * reports to the actor — only managers have one), `other` (owned by an unrelated colleague), and `foreign`
 * (another organization's).
 */
type Category = 'own' | 'team' | 'other' | 'foreign';
type Action = 'get' | 'list' | 'update' | 'delete';

let t: TestApp;
let org: Tenant;
let foreignOrg: Tenant;
let hidden: string[];

const actorFor = (o: Tenant, role: Role): TestUser =>
  ({ admin: o.admin, manager: o.manager, sales_rep: o.rep, support: o.support })[role];

/** Who owns a record of this category, seen from `actor`; undefined when the category does not exist for them. */
function ownerFor(category: Category, actor: TestUser): TestUser | undefined {
  if (category === 'own') return actor;
  if (category === 'team') return actor.role === 'manager' ? org.teamRep : undefined;
  if (category === 'other') return org.soloRep;
  return foreignOrg.admin;
}

function reaches(scope: Scope | undefined, category: Category): boolean {
  if (!scope || category === 'foreign') return false;
  if (scope === 'all') return true;
  if (scope === 'team') return category === 'own' || category === 'team';
  return category === 'own';
}

/** The status a policy promises for an action on one record. */
function expected(rt: EntityRuntime, role: Role, action: Action, category: Category): number {
  const policy = rolePolicy(rt.decl, { role } as never);
  const scope = action === 'get' || action === 'list' ? policy.read : policy[action];
  if (!scope) return 403;
  // Nobody deletes their own account.
  if (rt.decl.name === 'User' && action === 'delete' && category === 'own') return 403;
  if (!reaches(scope, category)) return 404;
  return action === 'delete' ? 204 : 200;
}

const makers = new Map<Tenant, SampleMaker>();
const maker = (o: Tenant) => {
  if (!makers.has(o)) makers.set(o, new SampleMaker(t.c.registry, apiClient(t, o.admin.auth, []), o));
  return makers.get(o)!;
};

/** Makes every owner field of a stored record point at `owner`. */
async function reown(rt: EntityRuntime, id: string, owner: TestUser): Promise<void> {
  const values = Object.fromEntries(rt.decl.owner.filter((f) => f !== 'id').map((f) => [f, owner.id]));
  if (Object.keys(values).length) await rt.model.update(values, { where: { id } });
}

/** A record of this category for `actor`: users are the tenant's people; others are made and re-owned. */
async function recordFor(
  rt: EntityRuntime,
  category: Category,
  actor: TestUser,
  fresh: boolean,
): Promise<string> {
  const owner = ownerFor(category, actor)!;
  const tenant = category === 'foreign' ? foreignOrg : org;
  if (rt.decl.name === 'User') {
    if (!fresh) return owner.id;
    if (category === 'own') return actor.id;
    const user = await rt.model.create({
      organization_id: tenant.organizationId,
      email: `matrix.${Math.random().toString(36).slice(2)}@test.example.com`,
      role: 'sales_rep',
      manager_id: category === 'team' ? actor.id : null,
    });
    return user.get('id') as string;
  }
  const record = await maker(tenant).create(rt.decl.name, 'required');
  await reown(rt, record.id as string, owner);
  return record.id as string;
}

const snapshot = async (rt: EntityRuntime, id: string) =>
  (await rt.model.findByPk(id, { raw: true })) as Values | null;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Matrix Org');
  foreignOrg = await createTenant(t.c, 'Foreign Matrix Org');
  hidden = hiddenFieldNames(t);
}, 60_000);
afterAll(() => t.close());

describe.each(entities.map((e) => [e.name]))('%s', (name) => {
  const rt = () => t.c.registry.get(name);

  describe.each([...ROLES])('as %s', (role) => {
    const client = (): Client => {
      const unreadable = rolePolicy(rt().decl, { role } as never).unreadable ?? [];
      return apiClient(t, actorFor(org, role).auth, [...hidden, ...unreadable]);
    };
    const categories: Category[] = ['own', 'team', 'other', 'foreign'];
    const reachable = (category: Category) => ownerFor(category, actorFor(org, role)) !== undefined;

    it('reads: list and get follow the read scope', async () => {
      const actor = actorFor(org, role);
      const ids = new Map<Category, string>();
      for (const c of categories.filter(reachable)) ids.set(c, await recordFor(rt(), c, actor, false));
      const list = await client().get(`/api/v1/${rt().decl.path}`, {
        limit: '100',
        'id[in]': [...ids.values()].join(','),
      });
      const listExpected = expected(rt(), role, 'list', 'own');
      expect({ list: list.status }).toEqual({ list: listExpected === 403 ? 403 : 200 });
      for (const [category, id] of ids) {
        const got = await client().get(`/api/v1/${rt().decl.path}/${id}`);
        expect({ category, get: got.status }).toEqual({
          category,
          get: expected(rt(), role, 'get', category),
        });
        if (list.status === 200) {
          const listed = (list.body.data as Values[]).some((r) => r.id === id);
          expect({ category, listed }).toEqual({
            category,
            listed: expected(rt(), role, 'get', category) === 200,
          });
        }
      }
    });

    it('create follows the policy', async () => {
      const actor = actorFor(org, role);
      const body = await maker(org).values(name, 'required');
      // What the new record points at must be visible to the actor, as it would be in real use.
      for (const [field, f] of Object.entries(rt().decl.fields)) {
        const ref = f.spec.kind === 'ref' ? f.spec.target : undefined;
        if (ref && ref !== 'User' && typeof body[field] === 'string')
          await reown(t.c.registry.get(ref), body[field] as string, actor);
      }
      for (const item of (body.items as Values[] | undefined) ?? [])
        await reown(t.c.registry.get('Product'), item.product_id as string, actor);
      if (name === 'User') body.email = `new.${Math.random().toString(36).slice(2)}@test.example.com`;
      const res = await client().post(`/api/v1/${rt().decl.path}`, body);
      const allowed = rolePolicy(rt().decl, { role } as never).create;
      expect({ create: res.status }).toEqual({ create: allowed ? 201 : 403 });
      if (allowed) expect(res.body.data.created_by).toBe(actor.id);
    });

    it.each(['update', 'delete'] as const)(
      '%s follows the policy and refused writes change nothing',
      async (action) => {
        const actor = actorFor(org, role);
        const field = editableTextFields(rt())[0]!;
        for (const category of categories.filter(reachable)) {
          const id = await recordFor(rt(), category, actor, true);
          const before = await snapshot(rt(), id);
          const res =
            action === 'update'
              ? await client().patch(`/api/v1/${rt().decl.path}/${id}`, { [field]: 'changed by the matrix' })
              : await client().delete(`/api/v1/${rt().decl.path}/${id}`);
          const want = expected(rt(), role, action, category);
          expect({ category, [action]: res.status }).toEqual({ category, [action]: want });
          const after = await snapshot(rt(), id);
          if (want === 204) expect(after).toBeNull();
          else if (want === 200) expect(after![field]).toBe('changed by the matrix');
          else expect(after).toEqual(before);
        }
      },
    );
  });
});

describe('writes cannot move a record out of the writer’s reach', () => {
  it('a sales rep cannot hand a lead to someone else', async () => {
    const lead = await maker(org).create('Lead', 'required');
    await reown(t.c.registry.get('Lead'), lead.id as string, org.rep);
    const res = await t.http
      .patch(`/api/v1/leads/${String(lead.id)}`)
      .set(org.rep.auth)
      .send({ assigned_to: org.soloRep.id })
      .expect(403);
    expect(res.body.error.details[0].field).toBe('assigned_to');
    // Sending the value it already has (as apps that send whole records do) is fine.
    await t.http
      .patch(`/api/v1/leads/${String(lead.id)}`)
      .set(org.rep.auth)
      .send({ assigned_to: org.rep.id, notes: 'kept' })
      .expect(200);
    expect(((await snapshot(t.c.registry.get('Lead'), lead.id as string)) as Values).assigned_to).toBe(
      org.rep.id,
    );
  });

  it('a manager cannot move a team deal outside the team', async () => {
    // In the team through its owner, created by someone outside it.
    const deal = await maker(org).create('Deal', 'required');
    await t.c.registry
      .get('Deal')
      .model.update({ owner_id: org.teamRep.id, created_by: org.soloRep.id }, { where: { id: deal.id } });
    await t.http
      .patch(`/api/v1/deals/${String(deal.id)}`)
      .set(org.manager.auth)
      .send({ owner_id: org.rep.id })
      .expect(200);
    const res = await t.http
      .patch(`/api/v1/deals/${String(deal.id)}`)
      .set(org.manager.auth)
      .send({ owner_id: org.soloRep.id })
      .expect(403);
    expect(res.body.error.message).toMatch(/outside the records your role may manage/);
    expect(((await snapshot(t.c.registry.get('Deal'), deal.id as string)) as Values).owner_id).toBe(
      org.rep.id,
    );
  });

  it('checks the scope again only when a write could put the record out of its author’s reach', async () => {
    const lead = await maker(org).create('Lead', 'required');
    await reown(t.c.registry.get('Lead'), lead.id as string, org.rep);
    const logged: string[] = [];
    const options = (t.c.sequelize as unknown as { options: { logging: unknown } }).options;
    const logging = options.logging;
    options.logging = (sql: string) => logged.push(sql);
    const rechecks = (table: string) =>
      logged.filter((sql) => sql.includes('SELECT count(*)') && sql.includes(`FROM "${table}"`)).length;
    try {
      await t.http
        .patch(`/api/v1/leads/${String(lead.id)}`)
        .set(org.rep.auth)
        .send({ notes: 'kept where it was', assigned_to: org.rep.id })
        .expect(200);
      expect(rechecks('leads')).toBe(0);
      // Its author reaches a record through `created_by`, whatever else the policy says.
      await t.http
        .post('/api/v1/leads')
        .set(org.rep.auth)
        .send({ first_name: 'Ada', last_name: 'Own', email: 'ada.own@example.com' })
        .expect(201);
      expect(rechecks('leads')).toBe(0);
      const deal = await maker(org).create('Deal', 'required');
      await reown(t.c.registry.get('Deal'), deal.id as string, org.teamRep);
      await t.http
        .patch(`/api/v1/deals/${String(deal.id)}`)
        .set(org.manager.auth)
        .send({ owner_id: org.manager.id })
        .expect(200);
      expect(rechecks('deals')).toBe(1);
    } finally {
      options.logging = logging;
    }
  });

  it('refuses a change its author could no longer read, where a role changes more records than it reads', async () => {
    const rt = t.c.registry.get('Deal');
    const declared = rt.decl.policy!;
    const deal = await maker(org).create('Deal', 'required');
    await reown(rt, deal.id as string, org.teamRep);
    // No declared entity has such a role: a manager who changes the team's deals but reads only their own.
    (rt.decl as { policy: typeof declared }).policy = {
      ...declared,
      manager: { ...declared.manager, read: 'own', update: 'team' },
    };
    try {
      const res = await t.http
        .patch(`/api/v1/deals/${String(deal.id)}`)
        .set(org.manager.auth)
        .send({ name: 'out of sight' })
        .expect(403);
      expect(res.body.error.message).toMatch(/outside the records your role may manage/);
    } finally {
      (rt.decl as { policy: typeof declared }).policy = declared;
    }
    expect(((await snapshot(rt, deal.id as string)) as Values).name).not.toBe('out of sight');
  });

  it('sales reps and support never see product costs, nor filter or sort on them', async () => {
    await maker(org).create('Product', 'full');
    for (const user of [org.rep, org.support]) {
      const list = await t.http.get('/api/v1/products').set(user.auth).expect(200);
      expect(list.body.data.length).toBeGreaterThan(0);
      for (const p of list.body.data) expect(p).not.toHaveProperty('cost');
      await t.http.get('/api/v1/products?cost[gt]=0').set(user.auth).expect(400);
      await t.http.get('/api/v1/products?sort=cost').set(user.auth).expect(400);
      await t.http.get('/api/v1/products?fields=cost').set(user.auth).expect(400);
    }
    const admin = await t.http.get('/api/v1/products?cost[gt]=0').set(org.admin.auth).expect(200);
    expect(admin.body.data[0]).toHaveProperty('cost');
  });
});
