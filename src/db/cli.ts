import fs from 'node:fs';
import path from 'node:path';
import { ensureFirstAdmin } from '../bootstrap';
import { ConfigError, loadConfig } from '../config';
import { buildContainer } from '../container';
import { createLogger } from '../logger';
import { seedDemoData } from '../../seeders';
import { openDatabase } from './database';
import { readSchema } from './introspect';
import { renderMigration } from './migration-file';
import { diffSchema } from './schema-diff';

const USAGE = `Usage: npm run <script>
  migrate                      apply pending migrations
  migrate:status               list applied and pending migrations
  migrate:undo                 revert the last applied migration
  migration:generate -- NAME   write migrations/<timestamp>-NAME.ts for what the declarations changed
  seed                         create the first admin if needed, then the demo data`;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function generate(name: string | undefined, c: ReturnType<typeof buildContainer>): Promise<void> {
  if (!name || !/^[a-z0-9-]+$/.test(name))
    throw new Error('Name the migration in kebab-case, e.g. add-quotes');
  await c.migrator.up();
  const changes = diffSchema(c.catalog.shapes(), await readSchema(c.sequelize));
  if (!changes.length) {
    out('The database already matches the declarations: nothing to generate.');
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const file = path.resolve('migrations', `${stamp}-${name}.ts`);
  let source = renderMigration(changes);
  try {
    const prettier = await import('prettier');
    source = await prettier.format(source, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    // prettier is a development tool; without it the file is still valid, just unformatted
  }
  fs.writeFileSync(file, source);
  out(`Wrote ${path.relative(process.cwd(), file)}:`);
  for (const change of changes) out(`  - ${change.description}`);
  out('Review it, then run: npm run migrate');
}

async function main(): Promise<void> {
  const [command, arg] = process.argv.slice(2);
  const config = loadConfig();
  const logger = createLogger({ ...config.log, toFiles: false });
  const db = await openDatabase(config, logger);
  const c = buildContainer(config, logger, db.sequelize);
  try {
    out(`Database: ${db.description}`);
    switch (command) {
      case 'up': {
        const applied = await c.migrator.up();
        out(applied.length ? `Applied ${applied.join(', ')}` : 'No pending migrations.');
        break;
      }
      case 'status': {
        const { executed, pending } = await c.migrator.status();
        for (const name of executed) out(`  applied  ${name}`);
        for (const name of pending) out(`  pending  ${name}`);
        break;
      }
      case 'undo': {
        const reverted = await c.migrator.down(1);
        out(reverted.length ? `Reverted ${reverted.join(', ')}` : 'Nothing to revert.');
        break;
      }
      case 'generate':
        await generate(arg, c);
        break;
      case 'seed': {
        await c.migrator.up();
        const admin = await ensureFirstAdmin(c);
        if (admin.generatedPassword) out(`Admin: ${admin.email} / ${admin.generatedPassword} (shown once)`);
        const counts = await seedDemoData(c, admin.organizationId);
        const loaded = Object.entries(counts ?? {}).map(([entity, n]) => `${n} ${entity}`);
        out(counts ? `Demo data: ${loaded.join(', ')}` : 'Demo data is already there.');
        const users = (await c.models.get('User').findAll({
          where: { organization_id: admin.organizationId },
          attributes: ['email', 'role'],
          order: [['role', 'ASC']],
          raw: true,
        })) as unknown as { email: string; role: string }[];
        out("Users (demo users share the first admin's password):");
        for (const u of users) out(`  ${u.role.padEnd(10)} ${u.email}`);
        break;
      }
      default:
        out(USAGE);
        process.exitCode = 1;
    }
  } finally {
    // Seeding can queue emails: they go out before the database closes.
    await c.close();
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
