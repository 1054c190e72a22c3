import { execSync } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import { derive } from '../../src/container';
import { Cursors } from '../../src/crud/ordering';
import { drive, pick, type Figures, type Scenario } from './measure';
import { seed, type SeededOrg } from './seed';
import { startApp, startBaseline, type RunningServer } from './servers';
import { BENCH_PASSWORD, benchSettings, siblingDatabase } from './settings';

/**
 * `npm run bench`: seeds PostgreSQL, starts the app (production build) and a minimal node:http + pg
 * baseline, drives both with autocannon and prints req/s, p50, p99 and the ratio to the baseline.
 */
const settings = benchSettings();
const log = (s: string) => console.log(s);
/** The main data set's app and baseline, and the small data set's, which run beside them. */
const PORTS = { main: { app: 3901, baseline: 3902 }, small: { app: 3903, baseline: 3904 } };
const DEEP = 500_000;

async function signIn(server: RunningServer, email: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  if (!res.ok) throw new Error(`Sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: { access_token: string } }).data.access_token;
}

/** The (created_at, id) of the row `depth` rows into the admin's newest-first listing. */
async function positionAt(databaseUrl: string, org: SeededOrg, depth: number): Promise<[string, string]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT created_at, id FROM leads WHERE organization_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
      [org.organizationId, depth],
    );
    return [(rows[0].created_at as Date).toISOString(), rows[0].id as string];
  } finally {
    await db.end();
  }
}

/**
 * Waits until no statement runs in the database but this one. A load generator stops sending when its time
 * is up, but the statements it started run on (a `COUNT(*)` over 100,000 rows takes a few hundred ms): without
 * this pause the next measurement, often of the other server, would pay for them.
 */
async function quiet(databaseUrl: string): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND backend_type = 'client backend' AND state = 'active'
            AND pid <> pg_backend_pid()`,
      );
      if (rows[0].n === 0 || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await db.end();
  }
}

interface Pair {
  databaseUrl: string;
  app: RunningServer;
  baseline: RunningServer;
  tokens: { app: { admin: string; rep: string }; baseline: { admin: string; rep: string } };
}

async function startPair(
  databaseUrl: string,
  org: SeededOrg,
  secret: string,
  ports: { app: number; baseline: number },
): Promise<Pair> {
  const app = await startApp(
    databaseUrl,
    secret,
    ports.app,
    process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=data/cpu-profiles'] : [],
  );
  const baseline = await startBaseline(databaseUrl, secret, ports.baseline);
  const pair = {
    databaseUrl,
    app,
    baseline,
    tokens: {
      app: { admin: await signIn(app, org.admin.email), rep: await signIn(app, org.rep.email) },
      baseline: {
        admin: await signIn(baseline, org.admin.email),
        rep: await signIn(baseline, org.rep.email),
      },
    },
  };
  // Warm-up (JIT, connection pools, PostgreSQL's caches), not measured, at the concurrency measured: the first
  // scenario otherwise pays for it (seen as a GET by id several times slower, and a p99 half again higher, than
  // the same GET measured later in the run).
  for (const side of ['app', 'baseline'] as const) {
    const t = pair.tokens[side];
    const warm = (path: () => string, token: string, seconds: number) =>
      drive(pair[side].url, { name: 'warm-up', path, token }, settings.connections, seconds);
    await warm(() => `/api/v1/leads/${pick(org.repLeadIds)}`, t.rep, 6);
    await warm(() => `/api/v1/leads/${pick(org.leadIds)}`, t.admin, 3);
    await warm(() => '/api/v1/leads?status=new&limit=25', t.admin, 3);
  }
  await quiet(databaseUrl);
  return pair;
}

interface Row {
  name: string;
  app: Figures;
  baseline?: Figures;
}

const rows: Row[] = [];

interface Side {
  url: string;
  databaseUrl: string;
  scenario: Scenario;
}

/**
 * Two servers in the order a, b, b, a, each for half the duration: on a machine whose load drifts (a shared CI
 * box, a host that throttles), a steady rise or fall of background load then weighs on both alike.
 */
async function inTurns(a: Side, b: Side, connections = settings.connections): Promise<[Figures, Figures]> {
  const half = Math.max(1, Math.round(settings.durationSeconds / 2));
  const run = async (s: Side) => {
    await quiet(s.databaseUrl);
    return drive(s.url, s.scenario, connections, half);
  };
  const a1 = await run(a);
  const b1 = await run(b);
  const b2 = await run(b);
  const a2 = await run(a);
  return [combine(a1, a2), combine(b1, b2)];
}

/** The app against the baseline, in turns. */
async function compare(
  pair: Pair,
  name: string,
  make: (side: 'app' | 'baseline') => Omit<Scenario, 'name'>,
  opts: { connections?: number; sameAnswer?: boolean } = {},
): Promise<Row> {
  if (opts.sameAnswer) await sameAnswer(pair, name, make);
  const side = (s: 'app' | 'baseline'): Side => ({
    url: pair[s].url,
    databaseUrl: pair.databaseUrl,
    scenario: { name, ...make(s) },
  });
  const [app, baseline] = await inTurns(side('app'), side('baseline'), opts.connections);
  const row = { name, app, baseline };
  rows.push(row);
  log(`  ${name}: ${format(row)}`);
  return row;
}

/**
 * Stops the run unless app and baseline give the same page (ids, in order) and total for a request: the
 * baseline's hand-written SQL is a fair measure only while it answers what the app answers.
 */
async function sameAnswer(
  pair: Pair,
  name: string,
  make: (side: 'app' | 'baseline') => Omit<Scenario, 'name'>,
): Promise<void> {
  const answer = async (side: 'app' | 'baseline') => {
    const s = make(side);
    const res = await fetch(`${pair[side].url}${s.path()}`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    if (!res.ok) throw new Error(`${name}: the ${side} answered ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { data: { id: string }[]; meta: Record<string, unknown> };
    const { total = null, total_exact = null } = body.meta;
    return JSON.stringify({ ids: body.data.map((r) => r.id), total, total_exact });
  };
  const [app, baseline] = await Promise.all([answer('app'), answer('baseline')]);
  if (app !== baseline) throw new Error(`${name}: the app answered ${app}, the baseline ${baseline}`);
}

/** Two equal-length runs as one: mean throughput and median, the worse p99, every failure. */
const combine = (x: Figures, y: Figures): Figures => ({
  rps: (x.rps + y.rps) / 2,
  p50: (x.p50 + y.p50) / 2,
  p99: Math.max(x.p99, y.p99),
  failures: x.failures + y.failures,
});

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
function format(r: Row): string {
  const b = r.baseline;
  return (
    `app ${fmt(r.app.rps)} req/s p50 ${r.app.p50} ms p99 ${r.app.p99} ms` +
    (r.app.failures ? ` (${r.app.failures} failed)` : '') +
    (b
      ? ` | baseline ${fmt(b.rps)} req/s p50 ${b.p50} ms p99 ${b.p99} ms | ratio ${fmt(r.app.rps / b.rps, 2)}×`
      : '')
  );
}

function table(): string {
  const lines = [
    '| scenario | app req/s | app p50 | app p99 | baseline req/s | baseline p50 | baseline p99 | ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const b = r.baseline;
    lines.push(
      `| ${r.name}${r.app.failures ? ` (${r.app.failures} non-2xx)` : ''} | ${fmt(r.app.rps)} | ${r.app.p50} ms | ${r.app.p99} ms | ` +
        (b
          ? `${fmt(b.rps)} | ${b.p50} ms | ${b.p99} ms | ${fmt(r.app.rps / b.rps, 2)}× |`
          : '– | – | – | – |'),
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GB, Node ${process.version}`,
  );
  log(
    `Data: ${fmt(settings.leads)} leads; ${settings.connections} connections, ${settings.durationSeconds} s per run`,
  );
  const org = await seed(settings.databaseUrl, settings.leads, settings.bcryptRounds, log);
  const smallUrl = siblingDatabase(settings.databaseUrl, '_small');
  const small = await seed(smallUrl, settings.smallLeads, settings.bcryptRounds, log);
  log('Building the app...');
  execSync('npm run build --silent', { stdio: 'inherit' });
  const secret = crypto.randomBytes(32).toString('base64url');
  const cursors = new Cursors(derive(secret, 'list-cursor'));
  const sort = [
    { field: 'created_at', desc: true },
    { field: 'id', desc: true },
  ];
  const depth = Math.min(DEEP, Math.floor(settings.leads * 0.7) - 100);

  // ---------------------------------------------------------------- the main data set
  const pair = await startPair(settings.databaseUrl, org, secret, PORTS.main);
  let smallPair: Pair | undefined;
  try {
    const appCursor = (position: [string, string]) =>
      cursors.encode(position, { u: org.admin.id, e: 'Lead', f: null, s: null, o: sort });
    const baseCursor = (position: [string, string]) =>
      Buffer.from(JSON.stringify(position)).toString('base64url');
    const first = await positionAt(settings.databaseUrl, org, 25);
    const deep = await positionAt(settings.databaseUrl, org, depth);
    const side = (s: 'app' | 'baseline') => pair.tokens[s];

    log('Reads (app vs baseline):');
    const getRep = await compare(pair, 'GET lead by id (sales rep)', (s) => ({
      path: () => `/api/v1/leads/${pick(org.repLeadIds)}`,
      token: side(s).rep,
    }));
    const getAdmin = await compare(pair, 'GET lead by id (admin)', (s) => ({
      path: () => `/api/v1/leads/${pick(org.leadIds)}`,
      token: side(s).admin,
    }));
    const list = '/api/v1/leads?status=new&sort=-created_at&limit=25';
    const listRep = await compare(
      pair,
      'list 25 status=new -created_at (sales rep, total up to 1,000)',
      (s) => ({
        path: () => list,
        token: side(s).rep,
      }),
      { sameAnswer: true },
    );
    const listAdmin = await compare(
      pair,
      'list 25 status=new -created_at (admin, total up to 1,000)',
      (s) => ({
        path: () => list,
        token: side(s).admin,
      }),
      { sameAnswer: true },
    );
    await compare(
      pair,
      'list 25 status=new -created_at (admin, count=exact)',
      (s) => ({
        path: () => `${list}&count=exact`,
        token: side(s).admin,
      }),
      { sameAnswer: true },
    );
    await compare(
      pair,
      'list 25 status=new -created_at (admin, count=false)',
      (s) => ({
        path: () => `${list}&count=false`,
        token: side(s).admin,
      }),
      { sameAnswer: true },
    );
    const firstPage = await compare(
      pair,
      'cursor page at depth 25 (admin)',
      (s) => ({
        path: () =>
          `/api/v1/leads?sort=-created_at&limit=25&cursor=${s === 'app' ? appCursor(first) : baseCursor(first)}`,
        token: side(s).admin,
      }),
      { sameAnswer: true },
    );
    const deepPage = await compare(
      pair,
      `cursor page at depth ${fmt(depth)} (admin)`,
      (s) => ({
        path: () =>
          `/api/v1/leads?sort=-created_at&limit=25&cursor=${s === 'app' ? appCursor(deep) : baseCursor(deep)}`,
        token: side(s).admin,
      }),
      { sameAnswer: true },
    );
    await compare(pair, 'search (sales rep, count=false)', (s) => ({
      path: () =>
        `/api/v1/leads?search=${encodeURIComponent(`Company ${Math.floor(Math.random() * 20000)}`)}&limit=25&count=false`,
      token: side(s).rep,
    }));

    // ---------------------------------------------------------------- the small data set
    // Measured in turns with the main one, each on an app of its own, so that a slower phase of the machine
    // does not pass for a cost of the table's size; and before the writes below add to the measured rep's leads.
    log(`The same lists at ${fmt(settings.leads)} and at ${fmt(settings.smallLeads)} leads, in turns:`);
    smallPair = await startPair(smallUrl, small, secret, PORTS.small);
    const atScale = async (name: string, path: string, who: 'rep' | 'admin') => {
      await sameAnswer(smallPair!, name, (s) => ({ path: () => path, token: smallPair!.tokens[s][who] }));
      const side = (p: Pair): Side => ({
        url: p.app.url,
        databaseUrl: p.databaseUrl,
        scenario: { name, path: () => path, token: p.tokens.app[who] },
      });
      const [large, smaller] = await inTurns(side(pair), side(smallPair!));
      const named = (leads: number, app: Figures): Row => ({ name: `${name} at ${fmt(leads)} leads`, app });
      rows.push(named(settings.leads, large), named(settings.smallLeads, smaller));
      log(`  ${name}: ${fmt(settings.leads)} leads ${format({ name, app: large })}`);
      log(`  ${name}: ${fmt(settings.smallLeads)} leads ${format({ name, app: smaller })}`);
      return [large, smaller] as const;
    };
    const [listAtScale, listSmall] = await atScale(
      'list 25 status=new (sales rep, total up to 1,000)',
      list,
      'rep',
    );
    const [noCountAtScale, listSmallNoCount] = await atScale(
      'list 25 status=new (admin, count=false)',
      `${list}&count=false`,
      'admin',
    );
    await Promise.all([smallPair.app.stop(), smallPair.baseline.stop()]);

    log('Writes (app vs baseline):');
    let n = 0;
    await compare(pair, 'create lead (sales rep)', (s) => ({
      method: 'POST',
      path: () => '/api/v1/leads',
      body: () => ({
        email: `bench-${s}-${Date.now()}-${n++}@example.com`,
        first_name: 'Bench',
        company: 'Bench Co',
      }),
      token: side(s).rep,
    }));
    await compare(pair, 'update lead (sales rep)', (s) => ({
      method: 'PATCH',
      path: () => `/api/v1/leads/${pick(org.repLeadIds)}`,
      body: () => ({ lead_score: Math.floor(Math.random() * 100) }),
      token: side(s).rep,
    }));
    await compare(
      pair,
      'login (bcrypt, 10 rounds)',
      () => ({
        method: 'POST',
        path: () => '/api/v1/auth/login',
        body: () => ({ email: org.rep.email, password: BENCH_PASSWORD }),
        token: '',
      }),
      { connections: 8 },
    );

    log('Bulk create of 10,000 leads (10 requests of 1,000, one after another):');
    const started = Date.now();
    for (let batch = 0; batch < 10; batch++) {
      const res = await fetch(`${pair.app.url}/api/v1/leads/bulk`, {
        method: 'POST',
        headers: { authorization: `Bearer ${pair.tokens.app.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(
          Array.from({ length: 1000 }, (_, i) => ({
            email: `bulk-${started}-${batch}-${i}@example.com`,
            company: 'Bulk',
          })),
        ),
      });
      if (!res.ok) throw new Error(`Bulk create failed: ${res.status} ${await res.text()}`);
    }
    const bulkMs = Date.now() - started;
    log(`  ${fmt(bulkMs)} ms`);

    log('A burst of logins while GET by id runs:');
    const get = {
      name: 'GET by id',
      path: () => `/api/v1/leads/${pick(org.repLeadIds)}`,
      token: pair.tokens.app.rep,
    };
    await quiet(pair.databaseUrl);
    const alone = await drive(pair.app.url, get, settings.connections, settings.durationSeconds);
    await quiet(pair.databaseUrl);
    const [during, logins] = await Promise.all([
      drive(pair.app.url, get, settings.connections, settings.durationSeconds),
      drive(
        pair.app.url,
        {
          name: 'login burst',
          method: 'POST',
          path: () => '/api/v1/auth/login',
          body: () => ({ email: org.rep.email, password: BENCH_PASSWORD }),
          token: '',
        },
        16,
        settings.durationSeconds,
      ),
    ]);
    rows.push({ name: 'GET by id alone (burst reference)', app: alone });
    rows.push({ name: 'GET by id during a login burst', app: during });
    rows.push({ name: 'login burst (16 connections)', app: logins });
    log(`  GET by id alone: ${format({ name: '', app: alone })}`);
    log(`  GET by id during the burst: ${format({ name: '', app: during })}; logins ${fmt(logins.rps)}/s`);

    log('\nResults\n');
    log(table());
    log('\nTargets');
    const target = (ok: boolean, text: string) => log(`  [${ok ? 'met' : 'NOT met'}] ${text}`);
    const ratio = (r: Row) => r.app.rps / r.baseline!.rps;
    // Judged as the sales rep and as the admin: the lower ratio and the higher p99 of the two.
    const asBoth = (what: string, rep: Row, admin: Row) => {
      const [low, high] = [Math.min(ratio(rep), ratio(admin)), Math.max(rep.app.p99, admin.app.p99)];
      target(
        low >= 0.4 && high < 50,
        `${what} ≥ 0.40× baseline (${fmt(ratio(rep), 2)}× as the rep, ${fmt(ratio(admin), 2)}× as the admin), ` +
          `p99 < 50 ms (${rep.app.p99} and ${admin.app.p99} ms)`,
      );
    };
    asBoth('GET by id', getRep, getAdmin);
    asBoth('filtered list', listRep, listAdmin);
    target(
      deepPage.app.p50 <= firstPage.app.p50 * 1.2 + 1,
      `cursor page at depth ${fmt(depth)} within 1.2× of the first (p50 ${deepPage.app.p50} vs ${firstPage.app.p50} ms)`,
    );
    target(
      listAtScale.p50 <= listSmall.p50 * 1.2 + 1,
      `list at ${fmt(settings.leads)} within 1.2× of ${fmt(settings.smallLeads)} rows, total up to 1,000 (p50 ${listAtScale.p50} vs ${listSmall.p50} ms)`,
    );
    target(
      noCountAtScale.p50 <= listSmallNoCount.p50 * 1.2 + 1,
      `list without total at ${fmt(settings.leads)} within 1.2× of ${fmt(settings.smallLeads)} rows (p50 ${noCountAtScale.p50} vs ${listSmallNoCount.p50} ms)`,
    );
    target(bulkMs < 3000, `bulk create of 10,000 leads under 3 s (${fmt(bulkMs)} ms)`);
    target(
      during.p99 < 50,
      `GET by id p99 during a login burst under 50 ms (${during.p99} ms; ${alone.p99} ms without)`,
    );
    log(
      '\n(p50/p99 are whole milliseconds as autocannon reports them; the comparisons allow 1 ms of rounding.)',
    );
  } finally {
    for (const p of [pair, smallPair]) await Promise.all([p?.app.stop(), p?.baseline.stop()]);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
