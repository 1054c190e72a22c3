import type { Transaction } from 'sequelize';
import type { AnyModel } from '../db/models';
import { NotificationListener } from '../db/notification-listener';
import type { Logger } from '../logger';
import type { CallerCache } from './caller-cache';

/** The channel the `users_changed` trigger notifies (migration 20261207103000-users-change-notifications). */
export const USER_CHANGES_CHANNEL = 'nexa_users_changed';

/** The columns the caller lookup reads; the trigger fires on changes to these only. */
export const CALLER_COLUMNS = [
  'id',
  'organization_id',
  'email',
  'role',
  'is_active',
  'tokens_valid_after',
] as const;

interface HookOptions {
  fields?: readonly PropertyKey[];
  transaction?: Transaction | null;
}

const touchesCaller = (o: HookOptions): boolean =>
  !o.fields || o.fields.some((f) => (CALLER_COLUMNS as readonly PropertyKey[]).includes(f));

/**
 * Keeps `cache` told of every change to users: this instance's own writes through the User model at once and
 * again when their transaction commits (a read in between would see the old row), and everyone's — other
 * instances, raw SQL, a psql session — through the trigger's notifications. Without a PostgreSQL server to
 * listen to (the embedded database), the cache is never used.
 */
export function hearUserChanges(
  users: AnyModel,
  cache: CallerCache<{ id: string }>,
  db: { url: string | undefined; ssl: 'off' | 'verify' | 'no-verify'; logger: Logger },
): { close(): Promise<void>; readonly processId?: number } {
  const forget = (o: HookOptions, id?: string) => {
    if (!touchesCaller(o)) return;
    cache.forget(id);
    o.transaction?.afterCommit(() => cache.forget(id));
  };
  const idOf = (row: { get(key: string): unknown }) => row.get('id') as string;
  users.addHook('afterSave', (row: { get(key: string): unknown }, o: HookOptions) => forget(o, idOf(row)));
  users.addHook('afterDestroy', (row: { get(key: string): unknown }, o: HookOptions) =>
    forget({ transaction: o.transaction }, idOf(row)),
  );
  users.addHook('afterBulkUpdate', (o: HookOptions) => forget(o));
  users.addHook('afterBulkDestroy', (o: HookOptions) => forget({ transaction: o.transaction }));
  users.addHook('afterUpsert', (_result: unknown, o: HookOptions) => forget({ transaction: o.transaction }));

  if (!db.url) return { close: async () => undefined };
  const listener = new NotificationListener({
    url: db.url,
    ssl: db.ssl,
    channel: USER_CHANGES_CHANNEL,
    logger: db.logger,
    onMessage: (id) => cache.forget(id || undefined),
    onHearing: (hearing) => cache.setHearing(hearing),
  });
  listener.start();
  return listener;
}
