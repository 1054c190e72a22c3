import { Router } from 'express';
import type { EntityMetaService } from '../../services/meta/entity-meta';
import { actorOf } from '../request-context';
import { onlyParams } from './list-params';

/** GET /api/v1/meta/entities[/:name]: the declarations as this caller may use them (drives the admin app). */
export function metaRoutes(meta: EntityMetaService): Router {
  const router = Router();
  router.get('/entities', (req, res) => {
    onlyParams(req.query, []);
    res.json({ data: meta.list(actorOf(req)) });
  });
  router.get('/entities/:name', (req, res) => {
    onlyParams(req.query, []);
    res.json({ data: meta.get(actorOf(req), req.params.name) });
  });
  return router;
}
