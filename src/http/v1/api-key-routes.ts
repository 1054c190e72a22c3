import { Router } from 'express';
import type { ApiKeys } from '../../auth/api-keys';
import { actorOf } from '../request-context';
import { onlyParams, parseListParams } from './list-params';

/** Administrators' management of API keys; a secret appears only in the reply that issues it. */
export function apiKeyRoutes(keys: ApiKeys): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    onlyParams(req.query, ['page', 'limit']);
    const { page, limit } = parseListParams(req.query);
    const { rows, total } = await keys.list(actorOf(req), { limit, offset: (page - 1) * limit });
    res.json({ data: rows, meta: { page, limit, total, total_pages: Math.ceil(total / limit) } });
  });

  router.post('/', async (req, res) => {
    onlyParams(req.query, []);
    const data = await keys.create(actorOf(req), req.body);
    res
      .status(201)
      .location(`${req.baseUrl}/${String(data.id)}`)
      .json({ data });
  });

  router.get('/:id', async (req, res) => {
    onlyParams(req.query, []);
    res.json({ data: await keys.get(actorOf(req), req.params.id) });
  });

  router.patch('/:id', async (req, res) => {
    onlyParams(req.query, []);
    res.json({ data: await keys.update(actorOf(req), req.params.id, req.body) });
  });

  router.post('/:id/revoke', async (req, res) => {
    onlyParams(req.query, []);
    res.json({ data: await keys.revoke(actorOf(req), req.params.id) });
  });

  router.post('/:id/regenerate', async (req, res) => {
    onlyParams(req.query, []);
    res.json({ data: await keys.regenerate(actorOf(req), req.params.id) });
  });

  router.delete('/:id', async (req, res) => {
    onlyParams(req.query, []);
    await keys.remove(actorOf(req), req.params.id);
    res.status(204).end();
  });

  return router;
}
