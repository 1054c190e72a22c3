import type { TestApp } from './app';

/**
 * An Email record once its delivery is over — `sent`, or `failed` after its last attempt — read straight
 * from the database (whoever may read it). Mail leaves through a queue, after the API has answered.
 */
export async function settledEmail(
  t: TestApp,
  id: string,
  timeoutMs = 5000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await t.c.models.get('Email').findByPk(id, { raw: true });
    const record = row as unknown as Record<string, unknown> | null;
    if (record && record.status !== 'queued') return record;
    if (Date.now() > deadline)
      throw new Error(`Email ${id} is still ${String(record?.status)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
