import { Router } from 'express';
import type { Container } from '../container';

/** Liveness (the process answers) and readiness (the database answers and its schema is current). */
export function healthRouter(c: Pick<Container, 'sequelize' | 'migrator' | 'lifecycle'>): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    const problems: string[] = [];
    if (c.lifecycle.shuttingDown) problems.push('shutting down');
    try {
      await c.sequelize.query('SELECT 1');
      const pending = await c.migrator.pending();
      if (pending.length) problems.push(`${pending.length} migration(s) not applied`);
    } catch {
      problems.push('database unreachable');
    }
    res
      .status(problems.length ? 503 : 200)
      .json(problems.length ? { status: 'unavailable', problems } : { status: 'ready' });
  });
  return router;
}
