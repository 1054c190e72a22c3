import { Router, type RequestHandler } from 'express';
import type { Container } from '../../container';
import { NotFoundError } from '../../errors';
import { privateFileUri } from '../../services/integrations/file-refs';
import { actorOf } from '../request-context';
import { singleFile } from '../uploads/single-file';

/** `/apps/:appId/integration-endpoints/Core/<Name>`, as `base44.integrations.Core.<Name>(...)` calls them. */
export function integrationRoutes(c: Container): Router {
  const router = Router({ mergeParams: true });
  const core = c.integrations;
  const upload = singleFile(
    c.storage,
    { maxBytes: c.config.storage.maxUploadBytes, allowedTypes: new Set(c.config.storage.allowedTypes) },
    (req) => c.documents.newKey(actorOf(req).organizationId),
  );
  // Refuse before any bytes are stored when the role may not create documents at all.
  const mayCreate: RequestHandler = (req, _res, next) => {
    c.crud.for(actorOf(req), 'Document').authorize('create');
    next();
  };

  router.post('/Core/UploadFile', mayCreate, upload, async (req, res) => {
    const doc = await c.documents.attach(actorOf(req), req.upload!, { is_private: false });
    res.json({ file_url: c.documents.publicUrl(doc.id as string) });
  });
  router.post('/Core/UploadPrivateFile', mayCreate, upload, async (req, res) => {
    const doc = await c.documents.attach(actorOf(req), req.upload!, { is_private: true });
    res.json({ file_uri: privateFileUri(doc.id as string) });
  });
  router.post('/Core/CreateFileSignedUrl', async (req, res) => {
    res.json(await core.signedUrl(actorOf(req), req.body));
  });
  router.post('/Core/SendEmail', async (req, res) => {
    res.json(await core.sendEmail(actorOf(req), req.body));
  });
  router.post('/Core/ExtractDataFromUploadedFile', async (req, res) => {
    res.json(await core.extract(actorOf(req), req.body));
  });
  router.post('/Core/InvokeLLM', async (req, res) => {
    res.json(await core.invokeLLM(req.body));
  });
  router.post('/Core/GenerateImage', async (req, res) => {
    res.json(await core.generateImage(actorOf(req), req.body));
  });
  router.post('/*rest', (req) => {
    throw new NotFoundError(
      `No integration ${JSON.stringify(req.path.slice(1))}: this server has the Core integrations UploadFile, ` +
        'UploadPrivateFile, CreateFileSignedUrl, SendEmail, ExtractDataFromUploadedFile, InvokeLLM and GenerateImage',
    );
  });
  return router;
}
