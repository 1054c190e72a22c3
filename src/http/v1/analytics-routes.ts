import { Router } from 'express';
import type { AnalyticsService } from '../../services/analytics/analytics-service';
import { actorOf } from '../request-context';
import { onlyParams } from './list-params';
import { dataRoute, deleteRoute, pageMeta } from './record-routes';

/** Dashboard figures, per-person performance, leaderboards and goals; the service decides who sees what. */
export function analyticsRoutes(analytics: AnalyticsService): Router {
  const router = Router();
  const { goals } = analytics;

  router.get('/dashboard', async (req, res) => {
    onlyParams(req.query, ['from', 'to']);
    res.json({ data: await analytics.dashboard(actorOf(req), req.query) });
  });
  router.get('/performance', async (req, res) => {
    res.json({ data: await analytics.performanceReport(actorOf(req), req.query) });
  });
  router.get('/leaderboard', async (req, res) => {
    res.json({ data: await analytics.leaderboard(actorOf(req), req.query) });
  });

  router.get('/goals', async (req, res) => {
    const { goals: data, page, limit, total } = await goals.list(actorOf(req), req.query, analytics.now());
    res.json({ data, meta: pageMeta(page, limit, total) });
  });
  router.post('/goals', async (req, res) => {
    onlyParams(req.query, []);
    const data = await goals.create(actorOf(req), req.body, analytics.now());
    res.status(201).location(`${req.baseUrl}/goals/${data.id}`).json({ data });
  });
  router
    .route('/goals/:id')
    .get(dataRoute((actor, id) => goals.get(actor, id, analytics.now())))
    .patch(dataRoute((actor, id, body) => goals.update(actor, id, body, analytics.now())))
    .delete(deleteRoute((actor, id) => goals.remove(actor, id)));
  return router;
}
