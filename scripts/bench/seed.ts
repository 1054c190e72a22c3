import bcrypt from 'bcryptjs';
import { Client } from 'pg';
import { createSequelize } from '../../src/db/sequelize';
import { Migrator } from '../../src/db/migrator';
import { BENCH_PASSWORD } from './settings';

/** Who the benchmark signs in as, in the organization it measures. */
export interface SeededOrg {
  organizationId: string;
  admin: { id: string; email: string };
  rep: { id: string; email: string };
  /** Lead ids assigned to `rep`, for reads and updates a sales rep may make. */
  repLeadIds: string[];
  /** Lead ids across the organization, for the admin's reads. */
  leadIds: string[];
  leads: number;
}

const ORGANIZATIONS = 4;
const REPS_PER_ORG = 25;
/** The measured organization holds most leads, so a cursor page 500,000 deep exists in it. */
const MAIN_SHARE = 0.7;

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * Brings the database to the migrated schema and `leads` leads (plus contacts and deals) across several
 * organizations and their sales reps, with set-based SQL (generate_series), unless it already holds them.
 */
export async function seed(
  url: string,
  leads: number,
  rounds: number,
  log: (s: string) => void,
): Promise<SeededOrg> {
  await ensureDatabase(url);
  const sequelize = createSequelize({ url, ssl: 'off', poolMax: 2, statementTimeoutMs: 0 });
  await new Migrator(sequelize).up();
  await sequelize.close();

  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const marker = await db.query(
      `SELECT settings->>'bench_leads' AS leads FROM organizations WHERE slug = 'bench-1'`,
    );
    if (Number(marker.rows[0]?.leads) !== leads) {
      log(`Seeding ${leads.toLocaleString('en')} leads (this takes a while at a million)...`);
      const started = Date.now();
      await fill(db, leads, rounds);
      log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s; analyzing...`);
      await db.query('VACUUM ANALYZE');
      await flushDirtyPages(db, log);
    } else {
      // Earlier runs' create and bulk scenarios added leads, the creates all the measured sales rep's: kept,
      // each run would measure a larger data set, and a busier rep, than the one before.
      const added = await db.query(`DELETE FROM leads WHERE email LIKE 'bench-%' OR email LIKE 'bulk-%'`);
      if (added.rowCount) {
        log(`Removing the ${added.rowCount.toLocaleString('en')} leads earlier runs added; vacuuming...`);
        await db.query('VACUUM ANALYZE leads');
        await flushDirtyPages(db, log);
      }
    }
    return await describe(db, leads);
  } finally {
    await db.end();
  }
}

/**
 * Writes out the pages the seeding or the clean-up dirtied, now rather than during the first scenarios: a
 * checkpoint they set off would otherwise spread those writes over the next minutes of measurement.
 * CHECKPOINT needs a superuser or the pg_checkpoint role; without either the run goes on and says so.
 */
async function flushDirtyPages(db: Client, log: (s: string) => void): Promise<void> {
  try {
    await db.query('CHECKPOINT');
  } catch (err) {
    log(`Could not run CHECKPOINT (${err instanceof Error ? err.message : String(err)}): measuring anyway`);
  }
}

async function fill(db: Client, leads: number, rounds: number): Promise<void> {
  const hash = bcrypt.hashSync(BENCH_PASSWORD, rounds);
  await db.query('BEGIN');
  await db.query(`DELETE FROM organizations WHERE slug LIKE 'bench-%'`);
  for (const table of ['deals', 'contacts', 'leads', 'audit_entries', 'refresh_tokens', 'emails', 'users'])
    await db.query(`TRUNCATE ${table} CASCADE`);
  for (let o = 1; o <= ORGANIZATIONS; o++) {
    const share = o === 1 ? MAIN_SHARE : (1 - MAIN_SHARE) / (ORGANIZATIONS - 1);
    const count = Math.round(leads * share);
    const org = await db.query(
      `INSERT INTO organizations (name, slug, settings) VALUES ($1, $2, $3) RETURNING id`,
      [`Bench ${o}`, `bench-${o}`, JSON.stringify(o === 1 ? { bench_leads: leads } : {})],
    );
    const orgId = org.rows[0].id as string;
    const admin = await db.query(
      `INSERT INTO users (organization_id, email, password_hash, first_name, role)
       VALUES ($1, $2, $3, 'Admin', 'admin') RETURNING id`,
      [orgId, `admin@bench-${o}.example.com`, hash],
    );
    const manager = await db.query(
      `INSERT INTO users (organization_id, email, password_hash, first_name, role)
       VALUES ($1, $2, $3, 'Manager', 'manager') RETURNING id`,
      [orgId, `manager@bench-${o}.example.com`, hash],
    );
    await db.query(
      `INSERT INTO users (organization_id, email, password_hash, first_name, role, manager_id)
       SELECT $1, 'rep' || r || '@bench-' || $4 || '.example.com', $2, 'Rep ' || r, 'sales_rep', $3
       FROM generate_series(1, ${REPS_PER_ORG}) r`,
      [orgId, hash, manager.rows[0].id, o],
    );
    const reps = `(SELECT array_agg(id ORDER BY email) FROM users WHERE organization_id = '${orgId}' AND role = 'sales_rep')`;
    // One lead a minute going back in time: distinct, realistic created_at values for sorting and cursors.
    await db.query(
      `INSERT INTO leads (organization_id, created_at, updated_at, first_name, last_name, email, company, phone,
                          status, source, lead_score, assigned_to, created_by)
       SELECT $1, now() - g * interval '1 minute', now() - g * interval '1 minute',
              'First' || g, 'Last' || (g % 9973), 'lead' || g || '@org' || $3 || '.example.com',
              'Company ' || (g % 20000), '+1555' || lpad((g % 10000000)::text, 7, '0'),
              (enum_range(NULL::enum_leads_status))[1 + g % 6], (ARRAY['website','referral','ads','event'])[1 + g % 4],
              g % 101, reps.ids[1 + g % ${REPS_PER_ORG}], $2
       FROM generate_series(1, ${count}) g, ${reps} AS reps(ids)`,
      [orgId, admin.rows[0].id, o],
    );
    await db.query(
      `INSERT INTO contacts (organization_id, created_at, updated_at, first_name, last_name, email, owner_id, created_by)
       SELECT $1, now() - g * interval '5 minutes', now() - g * interval '5 minutes', 'Contact' || g, 'Person' || g,
              'contact' || g || '@org' || $3 || '.example.com', reps.ids[1 + g % ${REPS_PER_ORG}], $2
       FROM generate_series(1, ${Math.round(count / 5)}) g, ${reps} AS reps(ids)`,
      [orgId, admin.rows[0].id, o],
    );
    await db.query(
      `INSERT INTO deals (organization_id, created_at, updated_at, name, amount, lead_id, owner_id, created_by)
       SELECT $1, l.created_at, l.created_at, 'Deal for ' || l.company, (l.lead_score * 100)::numeric,
              l.id, l.assigned_to, $2
       FROM leads l WHERE l.organization_id = $1 AND l.status = 'qualified'`,
      [orgId, admin.rows[0].id],
    );
  }
  await db.query('COMMIT');
}

async function describe(db: Client, leads: number): Promise<SeededOrg> {
  const org = await db.query(`SELECT id FROM organizations WHERE slug = 'bench-1'`);
  const organizationId = org.rows[0].id as string;
  const user = async (email: string) =>
    (await db.query(`SELECT id, email FROM users WHERE email = $1`, [email])).rows[0] as {
      id: string;
      email: string;
    };
  const admin = await user('admin@bench-1.example.com');
  const rep = await user('rep1@bench-1.example.com');
  const ids = async (sql: string, params: unknown[]) =>
    (await db.query(sql, params)).rows.map((r: { id: string }) => r.id);
  return {
    organizationId,
    admin,
    rep,
    leads,
    repLeadIds: await ids(
      `SELECT id FROM leads WHERE organization_id = $1 AND assigned_to = $2 ORDER BY random() LIMIT 2000`,
      [organizationId, rep.id],
    ),
    leadIds: await ids(`SELECT id FROM leads WHERE organization_id = $1 ORDER BY random() LIMIT 2000`, [
      organizationId,
    ]),
  };
}
