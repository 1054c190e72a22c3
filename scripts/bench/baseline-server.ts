import crypto from 'node:crypto';
import http from 'node:http';
import bcrypt from 'bcryptjs';
import jwt from 'jsonwebtoken';
import { Pool } from 'pg';

/**
 * The baseline: the same routes answered by hand-written SQL on node:http and pg, with what the app cannot
 * skip either — verifying the JWT, reading the caller (active, role), scoping rows to the organization and
 * to a sales rep's own leads. No validation, audit trail, hooks or error handling beyond the minimum.
 */
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_MAX ?? 10),
});
// A key object, not the string: jsonwebtoken would otherwise try to parse the string as a PEM key each time.
const secret = crypto.createSecretKey(Buffer.from(process.env.JWT_SECRET!, 'utf8'));
const issuer = 'nexa-crm';
const audience = 'nexa-crm-api';
const COUNT_LIMIT = Number(process.env.LIST_COUNT_LIMIT ?? 1000);
const COLUMNS = `id, organization_id, created_by, created_at, updated_at, custom_fields, first_name, last_name, email,
  phone, company, title, source, status, lead_score, industry, annual_revenue, employees, website, address, city,
  state, postal_code, country, notes, assigned_to, converted_date, last_contact_date, converted_contact_id,
  converted_account_id, converted_deal_id, tags`;

interface Caller {
  id: string;
  organization_id: string;
  role: string;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

async function caller(req: http.IncomingMessage): Promise<Caller | undefined> {
  const token = req.headers.authorization?.replace(/^Bearer /, '');
  if (!token) return undefined;
  try {
    const claims = jwt.verify(token, secret, { algorithms: ['HS256'], issuer, audience }) as jwt.JwtPayload;
    const { rows } = await pool.query(
      'SELECT id, organization_id, role FROM users WHERE id = $1 AND organization_id = $2 AND is_active',
      [claims.sub, claims.org],
    );
    return rows[0] as Caller | undefined;
  } catch {
    return undefined;
  }
}

/**
 * The conditions, any of which gives a row the caller may read: the organization's rows, and for a sales rep
 * only their own, one condition per owner column (read as a UNION, as the app reads them).
 */
function scope(c: Caller, params: unknown[], where: string): string[] {
  params.push(c.organization_id);
  const org = `organization_id = $${params.length}${where}`;
  if (c.role !== 'sales_rep') return [org];
  params.push(c.id);
  return [`${org} AND assigned_to = $${params.length}`, `${org} AND created_by = $${params.length}`];
}

/** The same rows as one condition, for a statement about one row. */
const readable = (c: Caller, params: unknown[]) =>
  `(${scope(c, params, '')
    .map((b) => `(${b})`)
    .join(' OR ')})`;

const union = (selects: string[]) =>
  selects.length === 1 ? selects[0]! : selects.map((s) => `(${s})`).join(' UNION ');

const NEWEST = 'ORDER BY created_at DESC, id DESC';

async function list(c: Caller, url: URL): Promise<unknown> {
  const params: unknown[] = [];
  let where = '';
  const status = url.searchParams.get('status');
  if (status) {
    params.push(status);
    where += ` AND status = $${params.length}`;
  }
  const search = url.searchParams.get('search');
  if (search) {
    params.push(`%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    const p = `$${params.length}`;
    where += ` AND (first_name ILIKE ${p} OR last_name ILIKE ${p} OR email ILIKE ${p} OR phone ILIKE ${p} OR company ILIKE ${p})`;
  }
  const cursor = url.searchParams.get('cursor');
  const countParams = [...params];
  const countBranches = scope(c, countParams, where);
  if (cursor) {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    params.push(at, id);
    where += ` AND (created_at, id) < ($${params.length - 1}, $${params.length})`;
  }
  const branches = scope(c, params, where);
  const limit = Math.min(Number(url.searchParams.get('limit') ?? 20), 100);
  const offset = cursor ? 0 : (Number(url.searchParams.get('page') ?? 1) - 1) * limit;
  const page = `LIMIT ${limit + 1} OFFSET ${offset}`;
  const rowsQuery = pool.query(
    branches.length === 1
      ? `SELECT ${COLUMNS} FROM leads WHERE ${branches[0]} ${NEWEST} ${page}`
      : `SELECT ${COLUMNS} FROM leads WHERE id IN (SELECT id FROM (${union(
          branches.map(
            (b) => `SELECT created_at, id FROM leads WHERE ${b} ${NEWEST} LIMIT ${offset + limit + 1}`,
          ),
        )}) AS candidates ${NEWEST} ${page}) ${NEWEST}`,
    params,
  );
  // As the app counts: up to COUNT_LIMIT matches (a branch past it alone answers), or all with count=exact.
  const count = url.searchParams.get('count') ?? (cursor ? 'false' : 'true');
  const upTo = count === 'exact' ? '' : ` LIMIT ${COUNT_LIMIT + 1}`;
  const ids = countBranches.map((b) => `SELECT id FROM leads WHERE ${b}${upTo}`);
  const countSql =
    ids.length > 1 && upTo
      ? `SELECT CASE ${ids
          .map((b) => `WHEN (SELECT count(*) FROM (${b}) AS alone) > ${COUNT_LIMIT} THEN ${COUNT_LIMIT + 1}`)
          .join(' ')} ELSE (SELECT count(*)::int FROM (${union(ids)}) AS matches) END AS n`
      : `SELECT count(*)::int AS n FROM (${union(ids)}) AS matches`;
  const [rows, counted] = await Promise.all([
    rowsQuery,
    count !== 'false' ? pool.query(countSql, countParams) : undefined,
  ]);
  const data = rows.rows.slice(0, limit);
  const last = data[data.length - 1] as { created_at: Date; id: string } | undefined;
  const next =
    rows.rows.length > limit && last
      ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.id])).toString('base64url')
      : null;
  const n = counted?.rows[0].n as number | undefined;
  const total =
    n === undefined
      ? {}
      : count === 'exact' || n <= COUNT_LIMIT
        ? { total: n, total_exact: true }
        : { total: COUNT_LIMIT, total_exact: false };
  return { data, meta: { limit, next_cursor: next, ...total } };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://baseline');
  if (req.method === 'POST' && url.pathname === '/api/v1/auth/login') {
    const body = await readBody(req);
    const { rows } = await pool.query(
      'SELECT id, organization_id, email, role, password_hash FROM users WHERE email = $1 AND is_active',
      [String(body.email).toLowerCase()],
    );
    const user = rows[0] as (Caller & { email: string; password_hash: string }) | undefined;
    if (!user || !(await bcrypt.compare(String(body.password), user.password_hash)))
      return send(res, 401, { error: { code: 'UNAUTHORIZED' } });
    const token = jwt.sign({ org: user.organization_id, typ: 'access' }, secret, {
      algorithm: 'HS256',
      subject: user.id,
      issuer,
      audience,
      expiresIn: 3600,
    });
    return send(res, 200, {
      data: { access_token: token, user: { id: user.id, email: user.email, role: user.role } },
    });
  }
  const c = await caller(req);
  if (!c) return send(res, 401, { error: { code: 'UNAUTHORIZED' } });
  const one = /^\/api\/v1\/leads\/([0-9a-f-]{36})$/.exec(url.pathname);
  if (req.method === 'GET' && url.pathname === '/api/v1/leads') return send(res, 200, await list(c, url));
  if (req.method === 'GET' && one) {
    const params: unknown[] = [one[1]];
    const { rows } = await pool.query(
      `SELECT ${COLUMNS} FROM leads WHERE id = $1 AND ${readable(c, params)}`,
      params,
    );
    return rows[0] ? send(res, 200, { data: rows[0] }) : send(res, 404, { error: { code: 'NOT_FOUND' } });
  }
  if (req.method === 'POST' && url.pathname === '/api/v1/leads') {
    const b = await readBody(req);
    const { rows } = await pool.query(
      `INSERT INTO leads (organization_id, created_by, assigned_to, email, first_name, last_name, company, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, 'new')::enum_leads_status) RETURNING ${COLUMNS}`,
      [
        c.organization_id,
        c.id,
        c.role === 'sales_rep' ? c.id : null,
        b.email,
        b.first_name,
        b.last_name,
        b.company,
        b.status,
      ],
    );
    return send(res, 201, { data: rows[0] });
  }
  if (req.method === 'PATCH' && one) {
    const b = await readBody(req);
    const params: unknown[] = [one[1], b.lead_score];
    const { rows } = await pool.query(
      `UPDATE leads SET lead_score = $2, updated_at = now() WHERE id = $1 AND ${readable(c, params)} RETURNING ${COLUMNS}`,
      params,
    );
    return rows[0] ? send(res, 200, { data: rows[0] }) : send(res, 404, { error: { code: 'NOT_FOUND' } });
  }
  send(res, 404, { error: { code: 'NOT_FOUND' } });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err: unknown) => {
    // autocannon closes its connections when a run ends, some before their body has been read (even when it
    // had all arrived): Node then fails the read with "aborted" (ECONNRESET), and no one is left to answer.
    if (req.destroyed && (err as NodeJS.ErrnoException).code === 'ECONNRESET') return;
    process.stderr.write(`baseline: ${String(err)}\n`);
    if (!res.headersSent) send(res, 500, { error: { code: 'INTERNAL' } });
  });
});
server.listen(Number(process.env.PORT ?? 3902), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => void pool.end()));
