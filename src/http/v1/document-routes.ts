import { Router, type RequestHandler } from 'express';
import type { CrudServices } from '../../crud/services';
import type { DocumentService } from '../../services/documents/document-service';
import { actorOf } from '../request-context';
import { sendDownload } from '../send-download';
import { parseListParams } from './list-params';

const RECENT_DEFAULT = 10;

/** The file side of documents; their records come from the generic router mounted after this one. */
export function documentRoutes(
  documents: DocumentService,
  crud: CrudServices,
  upload: RequestHandler,
): Router {
  const router = Router();

  // Refuse before any bytes are stored when the role may not create documents at all.
  const mayCreate: RequestHandler = (req, _res, next) => {
    crud.for(actorOf(req), 'Document').authorize('create');
    next();
  };
  router.post('/upload', mayCreate, upload, async (req, res) => {
    const data = await documents.attach(
      actorOf(req),
      req.upload!,
      (req.body ?? {}) as Record<string, unknown>,
    );
    res
      .status(201)
      .location(`${req.baseUrl}/${String(data.id)}`)
      .json({ data });
  });

  router.get('/recent', async (req, res) => {
    const q = parseListParams({ limit: String(RECENT_DEFAULT), ...req.query, sort: '-created_at' });
    const result = await crud.for(actorOf(req), 'Document').list({ ...q, total: undefined });
    res.json({ data: result.rows });
  });

  router.get('/:id/download-url', async (req, res) => {
    res.json({ data: await documents.downloadUrl(actorOf(req), req.params.id) });
  });

  router.get('/:id/download', async (req, res) => {
    await sendDownload(res, await documents.open(actorOf(req), req.params.id), 'private, no-store');
  });

  return router;
}
