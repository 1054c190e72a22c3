import { Router } from 'express';
import type { AuthService } from '../../auth/auth-service';
import { actorOf } from '../request-context';

/** Sign-in is public; `authenticate` guards the rest (mounted in between by the v1 router). */
export function publicAuthRoutes(auth: AuthService): Router {
  const router = Router();
  router.post('/login', async (req, res) => {
    res.json({ data: await auth.login(req.body) });
  });
  return router;
}

export function privateAuthRoutes(auth: AuthService): Router {
  const router = Router();
  router.get('/me', async (req, res) => {
    res.json({ data: await auth.me(actorOf(req)) });
  });
  return router;
}
