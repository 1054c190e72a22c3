import { Router } from 'express';
import Joi from 'joi';
import { validate } from '../../crud/validation';
import type { HistoryService } from '../../services/history/history-service';
import { actorOf } from '../request-context';
import { parseListParams } from './list-params';
import { pageMeta } from './record-routes';

const filters = Joi.object({
  entity: Joi.string().max(50),
  record_id: Joi.string().guid(),
  actor_id: Joi.string().guid(),
  action: Joi.string().valid('create', 'update', 'delete'),
  from: Joi.date().iso(),
  to: Joi.date().iso(),
});

const PAGING = ['page', 'limit', 'offset'];
/** The paging parameters of a query string, or the rest of it. */
const part = (q: Record<string, unknown>, paging: boolean) =>
  Object.fromEntries(Object.entries(q).filter(([k]) => PAGING.includes(k) === paging));

/** GET /api/v1/audit: every change in the organization, newest first, for administrators. */
export function auditRoutes(history: HistoryService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { page, limit, offset } = parseListParams(part(req.query, true));
    const f = validate(filters, part(req.query, false), {
      entityName: 'audit filter',
      stripUnknown: false,
    }) as {
      entity?: string;
      record_id?: string;
      actor_id?: string;
      action?: string;
      from?: Date;
      to?: Date;
    };
    const { items, total, totalExact } = await history.auditLog(actorOf(req), {
      entity: f.entity,
      recordId: f.record_id,
      actorId: f.actor_id,
      action: f.action,
      from: f.from,
      to: f.to,
      limit,
      offset: offset ?? 0,
    });
    res.json({ data: items, meta: pageMeta(page, limit, total, totalExact) });
  });
  return router;
}
