import { Router } from 'express';
import type { ApiKeys } from '../../auth/api-keys';
import { actorOf } from '../request-context';
import { onlyParams, parseListParams } from './list-params';
import { dataRoute, deleteRoute, pageMeta } from './record-routes';

/** Administrators' management of API keys; a secret appears only in the reply that issues it. */
export function apiKeyRoutes(keys: ApiKeys): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    onlyParams(req.query, ['page', 'limit']);
    const { page, limit } = parseListParams(req.query);
    const { rows, total } = await keys.list(actorOf(req), { limit, offset: (page - 1) * limit });
    res.json({ data: rows, meta: pageMeta(page, limit, total) });
  });

  router.post('/', async (req, res) => {
    onlyParams(req.query, []);
    const data = await keys.create(actorOf(req), req.body);
    res
      .status(201)
      .location(`${req.baseUrl}/${String(data.id)}`)
      .json({ data });
  });

  router
    .route('/:id')
    .get(dataRoute((actor, id) => keys.get(actor, id)))
    .patch(dataRoute((actor, id, body) => keys.update(actor, id, body)))
    .delete(deleteRoute((actor, id) => keys.remove(actor, id)));
  router.route('/:id/revoke').post(dataRoute((actor, id) => keys.revoke(actor, id)));
  router.route('/:id/regenerate').post(dataRoute((actor, id) => keys.regenerate(actor, id)));

  return router;
}
