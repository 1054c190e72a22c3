import crypto from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { Container } from './container';

export interface FirstAdmin {
  organizationId: string;
  email: string;
  /** Set only when this call created the admin with a generated password: shown once, never logged. */
  generatedPassword?: string;
  created: boolean;
}

export const slugify = (name: string): string =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'organization';

/**
 * On a database without users, creates the first organization and its admin (ADMIN_EMAIL, and
 * ADMIN_PASSWORD or a generated one). Later starts find the admin and change nothing.
 */
export async function ensureFirstAdmin(c: Container): Promise<FirstAdmin> {
  const Users = c.models.get('User');
  const Organizations = c.models.get('Organization');
  const { adminEmail, adminPassword, organizationName } = c.config.bootstrap;
  return c.sequelize.transaction(async (transaction) => {
    // Two instances starting on an empty database must not both create an admin.
    await c.sequelize.query('SELECT pg_advisory_xact_lock(4242002)', { transaction });
    const existing = await Users.findOne({
      order: [['created_at', 'ASC']],
      where: { role: 'admin' },
      transaction,
      raw: true,
    });
    if (existing || (await Users.count({ transaction })) > 0) {
      const admin = (existing ??
        (await Users.findOne({ order: [['created_at', 'ASC']], transaction, raw: true }))) as unknown as {
        organization_id: string;
        email: string;
      };
      await claimAppId(c, admin.organization_id, transaction);
      return { organizationId: admin.organization_id, email: admin.email, created: false };
    }
    const generatedPassword = adminPassword ? undefined : crypto.randomBytes(12).toString('base64url');
    const org = await Organizations.create(
      { name: organizationName, slug: slugify(organizationName), app_id: c.config.base44.appId ?? null },
      { transaction },
    );
    const organizationId = org.get('id') as string;
    await Users.create(
      {
        organization_id: organizationId,
        email: adminEmail,
        password_hash: await c.passwords.hash(adminPassword ?? generatedPassword!),
        first_name: 'Admin',
        last_name: 'User',
        role: 'admin',
      },
      { transaction },
    );
    return { organizationId, email: adminEmail, generatedPassword, created: true };
  });
}

/** BASE44_APP_ID set after the first start: the first organization takes it, unless one already has it. */
async function claimAppId(c: Container, organizationId: string, transaction: Transaction): Promise<void> {
  const appId = c.config.base44.appId;
  if (!appId) return;
  const Organizations = c.models.get('Organization');
  if (await Organizations.count({ where: { app_id: appId }, transaction })) return;
  await Organizations.update({ app_id: appId }, { where: { id: organizationId, app_id: null }, transaction });
}
