import type { MigrationContext } from '../src/db/migrator';

/*
 * Written by hand: a trigger, which the declarations do not describe. Every change to the columns the caller
 * lookup reads (src/auth/user-changes.ts, CALLER_COLUMNS) notifies `nexa_users_changed` with the user's id at
 * commit, so each instance drops what it cached of that user, whoever made the change (TRUNCATE: of every user).
 */
const UP: string[] = [
  `CREATE FUNCTION nexa_users_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('nexa_users_changed', OLD.id::text);
  RETURN NULL;
END
$$`,
  `CREATE TRIGGER users_changed AFTER UPDATE ON users FOR EACH ROW
   WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.organization_id IS DISTINCT FROM NEW.organization_id
      OR OLD.email IS DISTINCT FROM NEW.email OR OLD.role IS DISTINCT FROM NEW.role
      OR OLD.is_active IS DISTINCT FROM NEW.is_active OR OLD.tokens_valid_after IS DISTINCT FROM NEW.tokens_valid_after)
   EXECUTE FUNCTION nexa_users_changed()`,
  `CREATE TRIGGER users_deleted AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION nexa_users_changed()`,
  // TRUNCATE names no rows: an empty payload means "every user".
  `CREATE FUNCTION nexa_users_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('nexa_users_changed', '');
  RETURN NULL;
END
$$`,
  `CREATE TRIGGER users_truncated AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION nexa_users_truncated()`,
];

const DOWN: string[] = [
  `DROP TRIGGER IF EXISTS users_truncated ON users`,
  `DROP FUNCTION IF EXISTS nexa_users_truncated()`,
  `DROP TRIGGER IF EXISTS users_deleted ON users`,
  `DROP TRIGGER IF EXISTS users_changed ON users`,
  `DROP FUNCTION IF EXISTS nexa_users_changed()`,
];

export const up = ({ run }: MigrationContext): Promise<void> => run(UP);
export const down = ({ run }: MigrationContext): Promise<void> => run(DOWN);
