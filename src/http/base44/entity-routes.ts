import { Router, type Request } from 'express';
import type { Container } from '../../container';
import { parseAggregateSpec } from '../../crud/aggregate';
import { BulkOperations } from '../../crud/bulk-operations';
import type { CrudService } from '../../crud/crud-service';
import type { EntityRuntime } from '../../crud/registry';
import { AppError, InvalidQueryError, NotFoundError, ValidationError } from '../../errors';
import type { ImportReport } from '../../services/import/importer';
import { formatOf, readRecords } from '../../services/import/read-records';
import { withFileStream } from '../uploads/file-stream';
import { actorOf } from '../request-context';
import { Base44Records, toColumn, toSort } from './records';

type Query = Record<string, unknown>;

/** Base44 lists return up to 5,000 records per call; its SDK pages by cursor beyond that. */
const MAX_LIMIT = 5000;
const DEFAULT_PAGE = 100;

function text(q: Query, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string')
    throw new InvalidQueryError(`Give "${name}" once`, [{ field: name, message: 'repeated' }]);
  return v;
}

function count(q: Query, name: string, fallback: number, max = MAX_LIMIT): number {
  const raw = text(q, name);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new InvalidQueryError(`"${name}" must be a whole number up to ${max}`, [
      { field: name, message: `got ${JSON.stringify(raw)}` },
    ]);
  }
  return n;
}

function jsonParam(q: Query, name: string): unknown {
  const raw = text(q, name);
  if (raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new InvalidQueryError(`"${name}" is not valid JSON`, [{ field: name, message: 'malformed JSON' }]);
  }
}

const fieldsParam = (q: Query): string[] | undefined =>
  text(q, 'fields')
    ?.split(',')
    .map((f) => toColumn(f.trim()))
    .filter(Boolean);

function importProblems(report: ImportReport): string {
  const shown = report.failures
    .slice(0, 5)
    .map(
      (f) =>
        `row ${f.row}: ${f.errors.map((e) => (e.field ? `${e.field} ${e.message}` : e.message)).join(', ')}`,
    );
  return `${report.failed} of ${report.processed} rows are not valid; nothing was imported. ${shown.join('; ')}`;
}

/**
 * `/api/apps/:appId/entities/:Entity/...` as the Base44 SDK calls it: bare records and arrays, `q` as a JSON
 * filter in Base44's field names, undeclared fields in writes dropped. Every call is the same CrudService
 * as /api/v1 — same permissions, organization scope, validation and filter compiler.
 */
export function entityRoutes(c: Container): Router {
  const router = Router({ mergeParams: true });
  const records = new Base44Records(c.models.get('User'));

  const runtime = (req: Request): EntityRuntime => {
    const name = String(req.params.entity);
    const rt = c.registry.byName(name);
    if (!rt) throw new NotFoundError(`No entity named ${JSON.stringify(name)}`);
    return rt;
  };
  const service = (req: Request): CrudService =>
    c.crud.for(actorOf(req), runtime(req), { unknownFields: 'ignore' });
  const bulk = (req: Request) => new BulkOperations(service(req), c.sequelize);
  const filterOf = async (q: Query) => records.filter(jsonParam(q, 'q'));

  router.get('/:entity', async (req, res) => {
    const result = await service(req).list({
      filter: await filterOf(req.query),
      sort: toSort(text(req.query, 'sort')) || '-created_at',
      limit: count(req.query, 'limit', MAX_LIMIT) || MAX_LIMIT,
      offset: count(req.query, 'skip', 0, Number.MAX_SAFE_INTEGER),
      fields: fieldsParam(req.query),
    });
    res.json(await records.present(result.rows));
  });

  router.get('/:entity/v2/list', async (req, res) => {
    const limit = count(req.query, 'limit', DEFAULT_PAGE) || DEFAULT_PAGE;
    const filter = await filterOf(req.query);
    const distinct = text(req.query, 'distinct');
    if (distinct !== undefined) {
      const after = jsonParam(req.query, 'cursor');
      const page = await service(req).distinct(toColumn(distinct), {
        filter,
        limit,
        ...(after !== undefined ? { after } : {}),
      });
      const last = page.values[page.values.length - 1];
      res.json({
        items: page.values,
        next_cursor: page.hasMore ? JSON.stringify(last) : null,
        has_more: page.hasMore,
      });
      return;
    }
    const result = await service(req).list({
      filter,
      sort: toSort(text(req.query, 'sort')) || '-created_at',
      limit,
      cursor: text(req.query, 'cursor') ?? '',
      fields: fieldsParam(req.query),
    });
    res.json({
      items: await records.present(result.rows),
      next_cursor: result.nextCursor,
      has_more: result.hasMore,
    });
  });

  router.get('/:entity/count', async (req, res) => {
    res.json({ count: await service(req).count({ filter: await filterOf(req.query) }) });
  });

  router.post('/:entity/aggregate', async (req, res) => {
    const body = (req.body ?? {}) as Query;
    const spec = parseAggregateSpec({
      limit: 1000,
      ...body,
      filter: await records.filter(body.filter ?? body.query ?? body.q),
    });
    const translate = (v: unknown) =>
      Array.isArray(v) ? v.map((x) => toColumn(String(x))) : typeof v === 'string' ? toColumn(v) : v;
    spec.groupBy = spec.groupBy.map(toColumn);
    for (const m of ['sum', 'avg', 'min', 'max', 'countDistinct'] as const)
      spec[m] = spec[m].map((f) => String(translate(f)));
    // The bucket keeps the name the app asked with (`created_date`), while grouping our column.
    if (spec.dateBucket) spec.dateBucket = { ...spec.dateBucket, field: toColumn(spec.dateBucket.field) };
    spec.sort = toSort(spec.sort);
    const { rows, truncated } = await service(req).aggregate(spec);
    res.json({ rows, truncated });
  });

  // Leads a vendor posts with an API key are screened as on /api/v1: what is held as spam is not created.
  const screened = (req: Request): boolean => c.intake.leads.screens(runtime(req).decl.name, actorOf(req));

  router.post('/:entity/bulk', async (req, res) => {
    if (!screened(req)) {
      res.json(await records.present(await service(req).bulkCreate(req.body)));
      return;
    }
    const outcomes = await c.intake.leads.fromApiKeyBulk(actorOf(req), req.body, req.ip, 'ignore');
    const created = await records.present(outcomes.flatMap((o) => (o.verdict === 'clean' ? [o.lead] : [])));
    const held = outcomes.flatMap((o) =>
      o.verdict === 'spam' ? [{ index: o.index, screening: o.screening }] : [],
    );
    // All clean: the usual array. Otherwise 202 with what was created and what was held (by index).
    if (!held.length) res.json(created);
    else res.status(202).json({ created, held_as_spam: held });
  });

  router.put('/:entity/bulk', async (req, res) => {
    res.json(await records.present(await bulk(req).bulkUpdate(req.body)));
  });

  router.patch('/:entity/update-many', async (req, res) => {
    const body = (req.body ?? {}) as Query;
    const { updated, hasMore } = await bulk(req).updateMany(
      await records.filter(body.query ?? {}),
      body.data,
    );
    res.json({ success: true, updated, has_more: hasMore });
  });

  router.post('/:entity/upsert', async (req, res) => {
    const body = (req.body ?? {}) as Query;
    const result = await bulk(req).upsert(
      body.records,
      Array.isArray(body.key) ? body.key.map((k) => toColumn(String(k))) : toColumn(String(body.key ?? '')),
    );
    res.json({
      created: result.created,
      updated: result.updated,
      records: await records.present(result.records),
    });
  });

  // Base44 imports are all or nothing and answer with the created records.
  router.post('/:entity/import', async (req, res) => {
    const svc = service(req);
    svc.authorize('create');
    try {
      const report = await withFileStream(req, c.config.storage.maxUploadBytes, async (file) => {
        const format = formatOf(file.mimeType, file.filename);
        if (!format) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Import a CSV or a JSON file');
        return c.importer.run(svc, readRecords(file.stream, format), {
          mode: 'all_or_nothing',
          keepRecords: true,
        });
      });
      res.json(
        report.committed
          ? { status: 'success', details: null, output: await records.present(report.records ?? []) }
          : { status: 'error', details: importProblems(report), output: null },
      );
    } catch (err) {
      // The SDK reads an import's outcome from the body; only a refusal of the request itself is an error status.
      if (!(err instanceof ValidationError)) throw err;
      res.json({ status: 'error', details: err.message, output: null });
    }
  });

  router.delete('/:entity', async (req, res) => {
    const deleted = await bulk(req).deleteMany(await records.filter(req.body ?? {}));
    res.json({ success: true, deleted });
  });

  router.get('/:entity/:id', async (req, res) => {
    res.json(
      await records.presentOne(await service(req).get(req.params.id, { fields: fieldsParam(req.query) })),
    );
  });

  router.put('/:entity/:id', async (req, res) => {
    res.json(await records.presentOne(await service(req).update(req.params.id, req.body)));
  });

  router.delete('/:entity/:id', async (req, res) => {
    await service(req).remove(req.params.id);
    res.json({ success: true });
  });

  router.post('/:entity', async (req, res) => {
    if (!screened(req)) {
      res.json(await records.presentOne(await service(req).create(req.body)));
      return;
    }
    const outcome = await c.intake.leads.fromApiKey(actorOf(req), req.body, req.ip, 'ignore');
    if (outcome.verdict === 'clean') res.json(await records.presentOne(outcome.lead));
    else res.status(202).json({ status: 'held_as_spam', screening: outcome.screening });
  });

  return router;
}
