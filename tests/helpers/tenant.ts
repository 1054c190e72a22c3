import crypto from 'node:crypto';
import type { Container } from '../../src/container';
import type { Role } from '../../src/context';

export const PASSWORD = 'correct-horse-battery';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
  /** Headers that authenticate as this user. */
  auth: { Authorization: string };
}

export interface Tenant {
  organizationId: string;
  admin: TestUser;
  manager: TestUser;
  /** Reports to `manager`. */
  rep: TestUser;
  /** Also reports to `manager`. */
  teamRep: TestUser;
  /** Reports to nobody. */
  soloRep: TestUser;
  support: TestUser;
}

const tag = () => crypto.randomBytes(4).toString('hex');

/** A fresh organization with one user per role, created straight in the database. */
export async function createTenant(c: Container, name = 'Test Org'): Promise<Tenant> {
  const t = tag();
  const org = await c.models
    .get('Organization')
    .create({ name, slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${t}` });
  const organizationId = org.get('id') as string;
  const hash = await c.passwords.hash(PASSWORD);
  const make = async (key: string, role: Role, managerId?: string): Promise<TestUser> => {
    const user = await c.models.get('User').create({
      organization_id: organizationId,
      email: `${key}.${t}@test.example.com`,
      password_hash: hash,
      first_name: key,
      last_name: name,
      role,
      manager_id: managerId ?? null,
    });
    const id = user.get('id') as string;
    const token = c.tokens.sign({ userId: id, organizationId });
    return {
      id,
      email: user.get('email') as string,
      role,
      token,
      auth: { Authorization: `Bearer ${token}` },
    };
  };
  const admin = await make('admin', 'admin');
  const manager = await make('manager', 'manager');
  return {
    organizationId,
    admin,
    manager,
    rep: await make('rep', 'sales_rep', manager.id),
    teamRep: await make('teamrep', 'sales_rep', manager.id),
    soloRep: await make('solorep', 'sales_rep'),
    support: await make('support', 'support'),
  };
}
