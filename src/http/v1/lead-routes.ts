import { Router } from 'express';
import type { LeadService } from '../../services/leads/lead-service';
import { actorOf } from '../request-context';
import { onlyParams, parseListParams } from './list-params';

/** Lead actions beyond CRUD; mounted before the generic leads router so /stats is not taken for an id. */
export function leadRoutes(leads: LeadService): Router {
  const router = Router();
  router.get('/stats', async (req, res) => {
    const { filter } = parseListParams(req.query);
    res.json({ data: await leads.stats(actorOf(req), filter) });
  });
  router.post('/:id/assign', async (req, res) => {
    onlyParams(req.query, []);
    res.json({ data: await leads.assign(actorOf(req), req.params.id, req.body) });
  });
  router.post('/:id/convert', async (req, res) => {
    onlyParams(req.query, []);
    res.status(201).json({ data: await leads.convert(actorOf(req), req.params.id, req.body) });
  });
  return router;
}
