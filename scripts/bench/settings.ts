/** What `npm run bench` reads from the environment; every value has a default for a full run. */
export interface BenchSettings {
  databaseUrl: string;
  /** Leads in the main data set (at least 1,000,000 for the recorded figures; smaller for a quick run). */
  leads: number;
  /** Leads in the small data set the list latency is compared with. */
  smallLeads: number;
  durationSeconds: number;
  connections: number;
  /** bcrypt cost of the seeded users, as in production (BCRYPT_ROUNDS ≥ 10 there). */
  bcryptRounds: number;
}

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got ${raw}`);
  return n;
};

export function benchSettings(): BenchSettings {
  return {
    databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/bench',
    leads: int('BENCH_LEADS', 1_000_000),
    smallLeads: int('BENCH_SMALL_LEADS', 10_000),
    durationSeconds: int('BENCH_DURATION', 10),
    connections: int('BENCH_CONNECTIONS', 32),
    bcryptRounds: int('BENCH_BCRYPT_ROUNDS', 10),
  };
}

/** The same server under another database name (the small data set lives next to the main one). */
export function siblingDatabase(url: string, suffix: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname.replace(/\/$/, '')}${suffix}`;
  return u.toString();
}

export const BENCH_PASSWORD = 'bench-password-Quill-42';
