import { Router } from 'express';
import type { AnalyticsService } from '../../services/analytics/analytics-service';
import { actorOf } from '../request-context';
import { onlyParams } from './list-params';

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
    res.json({ data, meta: { page, limit, total, total_pages: Math.ceil(total / limit) } });
  });
  router.post('/goals', async (req, res) => {
    onlyParams(req.query, []);
    const data = await goals.create(actorOf(req), req.body, analytics.now());
    res.status(201).location(`${req.baseUrl}/goals/${data.id}`).json({ data });
  });
  router.get('/goals/:id', async (req, res) => {
    onlyParams(req.query, []);
    res.json({ data: await goals.get(actorOf(req), req.params.id, analytics.now()) });
  });
  router.patch('/goals/:id', async (req, res) => {
    onlyParams(req.query, []);
    res.json({ data: await goals.update(actorOf(req), req.params.id, req.body, analytics.now()) });
  });
  router.delete('/goals/:id', async (req, res) => {
    onlyParams(req.query, []);
    await goals.remove(actorOf(req), req.params.id);
    res.status(204).end();
  });
  return router;
}
