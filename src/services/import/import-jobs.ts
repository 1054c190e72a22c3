import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { Op, type WhereOptions } from 'sequelize';
import type { Actor } from '../../context';
import type { CrudServices } from '../../crud/services';
import type { EntityRuntime } from '../../crud/registry';
import type { AnyModel } from '../../db/models';
import { AppError, NotFoundError, ValidationError } from '../../errors';
import type { Logger } from '../../logger';
import type { Values } from '../../schema/entity';
import type { Storage } from '../storage/storage';
import type { ImportMode, ImportProgress, Importer } from './importer';
import { formatOf, readRecords, type ImportFormat } from './read-records';

export const IMPORT_MODES: readonly ImportMode[] = ['all_or_nothing', 'skip_invalid'];

export interface ImportUpload {
  stream: Readable;
  filename: string;
  mimeType: string;
}

interface JobOptions {
  keyPrefix: string;
  /** Progress is written to the job row after at least this many rows. */
  progressEveryRows: number;
  /** The row of a running job is touched at least this often (ms): the sign its process is alive. */
  heartbeatMs: number;
  /** A queued or running job untouched this long (ms) belongs to a process that died. */
  staleMs: number;
}

const UNFINISHED = ['queued', 'running'];

/**
 * Keeps a running job's row up to date from outside the import transaction (plain pooled queries), so any
 * instance shows its progress: after every `everyRows` rows and on a heartbeat timer. One write at a time;
 * progress arriving meanwhile is written next.
 */
class ProgressWriter {
  private latest: ImportProgress = { processed: 0, created: 0, failed: 0 };
  private written = 0;
  private writing: Promise<void> | undefined;
  private again = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly jobs: AnyModel,
    private readonly id: string,
    private readonly everyRows: number,
    heartbeatMs: number,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => this.write(), heartbeatMs);
    this.timer.unref();
  }

  report(progress: ImportProgress): void {
    this.latest = progress;
    if (progress.processed - this.written >= this.everyRows) this.write();
  }

  /** Stops the heartbeat and waits for the last write, so the outcome written next is not overwritten. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.again = false;
    while (this.writing) await this.writing;
  }

  private write(): void {
    if (this.writing) {
      this.again = true;
      return;
    }
    const progress = this.latest;
    // Not awaited by the import: on the embedded database this query waits until its transaction ends.
    this.writing = this.jobs
      .update(progress, { where: { id: this.id, status: 'running' } })
      .then(() => {
        this.written = Math.max(this.written, progress.processed);
      })
      .catch((err: unknown) => {
        this.logger.warn('could not record import progress', { job: this.id, err });
      })
      .finally(() => {
        this.writing = undefined;
        if (this.again) {
          this.again = false;
          this.write();
        }
      });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Imports as background jobs: the upload is streamed into storage, a job row is written and returned at once,
 * then the file is streamed from storage through the Importer (one transaction, chunked inserts). While a job
 * runs, its progress is written to its row outside that transaction (every few thousand rows and on a
 * heartbeat), so every instance can show it; the instance running it also answers from memory. A job whose
 * row stops being touched was left by a process that died: it is marked failed when read or at startup.
 */
export class ImportJobs {
  private readonly live = new Map<string, ImportProgress>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly crud: CrudServices,
    private readonly importer: Importer,
    private readonly storage: Storage,
    private readonly jobs: AnyModel,
    private readonly options: JobOptions,
    private readonly logger: Logger,
  ) {}

  /** Checks the actor may create records of the entity, keeps the file, and starts the job. */
  async start(actor: Actor, rt: EntityRuntime, upload: ImportUpload, mode: unknown): Promise<Values> {
    const importMode = this.modeOf(mode);
    this.crud.for(actor, rt).authorize('create');
    const format = formatOf(upload.mimeType, upload.filename);
    if (!format) {
      upload.stream.resume();
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Import a CSV (.csv) or a JSON (.json) file');
    }
    const key = [this.options.keyPrefix, actor.organizationId, 'imports', crypto.randomUUID()]
      .filter(Boolean)
      .join('/');
    await this.storage.put(key, upload.stream, format === 'csv' ? 'text/csv' : 'application/json');
    const job = await this.jobs
      .create({
        organization_id: actor.organizationId,
        created_by: actor.userId,
        entity: rt.decl.name,
        format,
        mode: importMode,
        file_name: upload.filename.slice(0, 255) || null,
        file_key: key,
      })
      .catch(async (err: unknown) => {
        await this.storage.delete(key).catch(() => undefined);
        throw err;
      });
    const row = job.get({ plain: true }) as Values;
    const run = this.run(actor, rt, row, format).finally(() => this.running.delete(run));
    this.running.add(run);
    return this.present(row);
  }

  /** A job of the actor's organization that the actor started (admins see every one); 404 otherwise. */
  async get(actor: Actor, rt: EntityRuntime, id: string): Promise<Values> {
    const notFound = new NotFoundError(`No ${rt.decl.name} import job with id ${JSON.stringify(id)}`);
    if (!UUID.test(id)) throw notFound;
    const where = {
      id: id.toLowerCase(),
      organization_id: actor.organizationId,
      entity: rt.decl.name,
      ...(actor.role === 'admin' ? {} : { created_by: actor.userId }),
    };
    let row = (await this.jobs.findOne({ where, raw: true })) as Values | null;
    if (!row) throw notFound;
    if (UNFINISHED.includes(row.status as string) && (await this.failAbandoned({ id: row.id as string })))
      row = (await this.jobs.findOne({ where, raw: true })) as unknown as Values;
    return this.present(row);
  }

  /**
   * Marks failed every job left queued or running by a process that died (its row untouched for longer than
   * the staleness limit), deleting its stored file. Run at startup; reads of a job do the same for it.
   */
  async recoverAbandoned(): Promise<number> {
    const failed = await this.failAbandoned({});
    if (failed) this.logger.warn(`Marked ${failed} import job(s) failed: the server running them stopped`);
    return failed;
  }

  /** Resolves once every job started by this instance has finished (graceful shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private modeOf(mode: unknown): ImportMode {
    if (mode === undefined || mode === '') return 'all_or_nothing';
    if (typeof mode === 'string' && (IMPORT_MODES as readonly string[]).includes(mode))
      return mode as ImportMode;
    throw new ValidationError(`mode must be one of ${IMPORT_MODES.join(', ')}`, [
      { field: 'mode', message: `got ${JSON.stringify(mode)}` },
    ]);
  }

  private async failAbandoned(only: WhereOptions): Promise<number> {
    const where = {
      ...only,
      status: { [Op.in]: UNFINISHED },
      updated_at: { [Op.lt]: new Date(Date.now() - this.options.staleMs) },
    };
    const rows = (await this.jobs.findAll({
      where,
      attributes: ['id', 'file_key'],
      raw: true,
    })) as unknown as Values[];
    let failed = 0;
    for (const row of rows) {
      const id = row.id as string;
      // Running here: its heartbeat may only be waiting for the database (the embedded one queues it).
      if (this.live.has(id)) continue;
      const [n] = await this.jobs.update(
        {
          status: 'failed',
          error: ABANDONED(this.options.staleMs),
          created: 0,
          committed: false,
          finished_at: new Date(),
        },
        { where: { ...where, id } },
      );
      if (!n) continue;
      failed++;
      if (typeof row.file_key === 'string')
        await this.storage
          .delete(row.file_key)
          .catch((err: unknown) => this.logger.warn('could not delete an import file', { id, err }));
    }
    return failed;
  }

  private async run(actor: Actor, rt: EntityRuntime, job: Values, format: ImportFormat): Promise<void> {
    const id = job.id as string;
    const key = job.file_key as string;
    this.live.set(id, { processed: 0, created: 0, failed: 0 });
    const { progressEveryRows, heartbeatMs } = this.options;
    const progress = new ProgressWriter(this.jobs, id, progressEveryRows, heartbeatMs, this.logger);
    try {
      await this.jobs.update({ status: 'running', started_at: new Date() }, { where: { id } });
      const file = await this.storage.get(key);
      if (!file) throw new Error(`import file ${key} is missing from storage`);
      const report = await this.importer.run(this.crud.for(actor, rt), readRecords(file, format), {
        mode: job.mode as ImportMode,
        onProgress: (p) => {
          this.live.set(id, p);
          progress.report(p);
        },
      });
      await progress.stop();
      await this.jobs.update(
        {
          status: report.committed ? 'completed' : 'failed',
          error: report.committed
            ? null
            : `${report.failed} of ${report.processed} rows are not valid; nothing was imported (mode all_or_nothing)`,
          processed: report.processed,
          created: report.created,
          failed: report.failed,
          committed: report.committed,
          failures: report.failures,
          ignored_columns: [...new Set(report.ignored_columns)],
          finished_at: new Date(),
        },
        { where: { id } },
      );
    } catch (err) {
      // A refusal (bad file, permission) is the user's to read; anything else is logged and kept generic.
      const message =
        err instanceof AppError
          ? err.message
          : 'The import stopped on an unexpected error; nothing was saved';
      if (!(err instanceof AppError)) this.logger.error('import job failed', { job: id, err });
      await progress.stop();
      const reached = this.live.get(id);
      await this.jobs
        .update(
          {
            status: 'failed',
            error: message,
            processed: reached?.processed ?? 0,
            created: 0,
            failed: reached?.failed ?? 0,
            committed: false,
            finished_at: new Date(),
          },
          { where: { id } },
        )
        .catch((e: unknown) => this.logger.error('could not record an import failure', { job: id, err: e }));
    } finally {
      this.live.delete(id);
      await this.storage
        .delete(key)
        .catch((e: unknown) => this.logger.warn('could not delete an import file', { key, err: e }));
    }
  }

  private present(row: Values): Values {
    const id = row.id as string;
    const live = this.live.get(id);
    const processed = live?.processed ?? (row.processed as number);
    return {
      id,
      entity: row.entity,
      status: row.status,
      mode: row.mode,
      format: row.format,
      file_name: row.file_name ?? null,
      progress: { processed },
      counts: {
        processed,
        created: live?.created ?? row.created,
        failed: live?.failed ?? row.failed,
      },
      committed: row.committed,
      errors: row.failures ?? [],
      ignored_columns: row.ignored_columns ?? [],
      error: row.error ?? null,
      created_by: row.created_by,
      created_at: iso(row.created_at),
      started_at: iso(row.started_at),
      finished_at: iso(row.finished_at),
    };
  }
}

const ABANDONED = (staleMs: number) =>
  `The server running this import stopped (no sign of it for ${Math.round(staleMs / 1000)} seconds); ` +
  'nothing was saved: upload the file again';

const iso = (v: unknown): string | null =>
  v instanceof Date ? v.toISOString() : typeof v === 'string' ? new Date(v).toISOString() : null;
