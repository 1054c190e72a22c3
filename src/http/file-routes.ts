import { Router } from 'express';
import { NotFoundError } from '../errors';
import type { DocumentService } from '../services/documents/document-service';
import { LocalStorage } from '../services/storage/local-storage';
import type { Storage } from '../services/storage/storage';
import { sendDownload } from './send-download';

/**
 * Downloads that need no sign-in: the stable link of a public document, and — with the local storage
 * driver — the signed, expiring links it hands out (S3 signs its own).
 */
export function fileRoutes(documents: DocumentService, storage: Storage): Router {
  const router = Router();
  router.get('/public/:id', async (req, res) => {
    await sendDownload(res, await documents.openPublic(req.params.id), 'public, max-age=300');
  });
  router.get('/*key', async (req, res) => {
    if (!(storage instanceof LocalStorage)) throw new NotFoundError('No such file');
    const key = (req.params as unknown as { key: string[] }).key.join('/');
    await sendDownload(res, await storage.openSigned(key, req.query), 'private, max-age=60');
  });
  return router;
}
