import { Router, type Request, type RequestHandler, type Response } from 'express';
import { parseAggregateSpec } from '../../crud/aggregate';
import type { CrudService, ListResult } from '../../crud/crud-service';
import type { CrudServices } from '../../crud/services';
import type { EntityRuntime } from '../../crud/registry';
import type { RecordExport } from '../../services/export/record-export';
import type { HistoryService } from '../../services/history/history-service';
import type { ImportJobs } from '../../services/import/import-jobs';
import { withFileStream } from '../uploads/file-stream';
import { actorOf } from '../request-context';
import { sendGeneratedFile } from '../send-file';
import { parseExportParams } from './export-params';
import { fieldList, onlyParams, parseListParams, type V1ListQuery } from './list-params';
import { pageMeta } from './record-routes';

function listBody(result: ListResult, q: V1ListQuery) {
  const meta =
    q.cursor === undefined
      ? {
          ...(result.total !== undefined
            ? pageMeta(q.page, q.limit, result.total, result.totalExact)
            : { page: q.page, limit: q.limit }),
          next_cursor: result.nextCursor,
        }
      : {
          limit: q.limit,
          next_cursor: result.nextCursor,
          has_more: result.hasMore,
          ...(result.total !== undefined ? { total: result.total, total_exact: result.totalExact } : {}),
        };
  return { data: result.rows, meta };
}

/** The REST routes of one entity: parse the request, call the service, shape the reply. Nothing else. */
export function entityRouter(
  rt: EntityRuntime,
  crud: CrudServices,
  history: HistoryService,
  exports: { exporter: RecordExport; limit: RequestHandler },
  imports: { jobs: ImportJobs; maxBytes: number },
): Router {
  const router = Router();
  const service = (req: Request): CrudService => crud.for(actorOf(req), rt);

  router.get('/', async (req, res) => {
    const q = parseListParams(req.query);
    res.json(listBody(await service(req).list(q), q));
  });

  router.get('/export', exports.limit, async (req, res) => {
    const { format, q } = parseExportParams(req.query);
    await sendGeneratedFile(res, await exports.exporter.open(actorOf(req), rt, q, format));
  });

  router.post('/aggregate', async (req, res) => {
    onlyParams(req.query, []);
    res.json({ data: await service(req).aggregate(parseAggregateSpec(req.body)) });
  });

  router.post('/bulk', async (req, res) => {
    onlyParams(req.query, []);
    const data = await service(req).bulkCreate(req.body);
    res.status(201).json({ data, meta: { created: data.length } });
  });

  // A background job: 202 with the job, whose status, progress and row errors GET /import/:job shows.
  router.post('/import', async (req, res) => {
    onlyParams(req.query, ['mode']);
    const job = await withFileStream(req, imports.maxBytes, (file) =>
      imports.jobs.start(actorOf(req), rt, file, req.query.mode),
    );
    res
      .status(202)
      .location(`${req.baseUrl}/import/${String(job.id)}`)
      .json({ data: job });
  });

  router.get('/import/:job', async (req, res) => {
    onlyParams(req.query, []);
    res.json({ data: await imports.jobs.get(actorOf(req), rt, req.params.job) });
  });

  router.get('/:id/history', async (req, res) => {
    onlyParams(req.query, ['page', 'limit']);
    const { page, limit, offset } = parseListParams(req.query);
    const { items, total } = await history.history(actorOf(req), rt.decl.name, req.params.id, {
      limit,
      offset: offset ?? 0,
    });
    res.json({ data: items, meta: pageMeta(page, limit, total) });
  });

  router.get('/:id/timeline', async (req, res) => {
    onlyParams(req.query, ['limit', 'cursor']);
    const { limit, cursor } = parseListParams(req.query);
    const { items, nextCursor } = await history.timeline(actorOf(req), rt.decl.name, req.params.id, {
      limit,
      cursor: cursor || undefined,
    });
    res.json({ data: items, meta: { limit, next_cursor: nextCursor } });
  });

  router.get('/:id', async (req, res) => {
    onlyParams(req.query, ['fields']);
    const fields = typeof req.query.fields === 'string' ? fieldList(req.query.fields) : undefined;
    res.json({ data: await service(req).get(req.params.id, { fields }) });
  });

  router.post('/', async (req, res) => {
    onlyParams(req.query, []);
    const data = await service(req).create(req.body);
    res
      .status(201)
      .location(`${req.baseUrl}/${String(data.id)}`)
      .json({ data });
  });

  const update = async (req: Request<{ id: string }>, res: Response) => {
    onlyParams(req.query, []);
    res.json({ data: await service(req).update(req.params.id, req.body) });
  };
  router.patch('/:id', update);
  router.put('/:id', update);

  router.delete('/:id', async (req, res) => {
    onlyParams(req.query, []);
    await service(req).remove(req.params.id);
    res.status(204).end();
  });

  return router;
}
