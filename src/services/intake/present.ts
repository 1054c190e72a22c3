import type { Values } from '../../schema/entity';

const iso = (v: unknown): string | null =>
  v instanceof Date ? v.toISOString() : v == null ? null : String(v);

/** A screening as the API shows it: what was submitted (for spam), the score and why. */
export function presentScreening(row: Values): Values {
  const payload = (row.payload ?? {}) as { values?: Values };
  return {
    id: row.id,
    verdict: row.verdict,
    score: row.score,
    reasons: row.reasons ?? [],
    channel: row.channel,
    form_id: row.form_id ?? null,
    api_key_id: row.api_key_id ?? null,
    ip: row.ip ?? null,
    email: row.email ?? null,
    submitted: payload.values ?? null,
    lead_id: row.lead_id ?? null,
    released_by: row.released_by ?? null,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}
