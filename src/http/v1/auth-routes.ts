import { Router, type Request } from 'express';
import type { Device } from '../../auth/sessions';
import type { Container } from '../../container';
import { actorOf, secretInPath } from '../request-context';

const device = (req: Request): Device => ({ userAgent: req.get('user-agent'), ip: req.ip });

/**
 * Routes that work without an access token: signing up, in and out, and following emailed links. Each is
 * limited per client IP; those where a password or a link can be guessed, or mail sent, more strictly.
 */
export function publicAuthRoutes(c: Pick<Container, 'auth' | 'accountLinks' | 'rateLimits'>): Router {
  const router = Router();
  const { anonymous, bruteForce } = c.rateLimits;

  router.post('/register', anonymous, ...bruteForce('register'), async (req, res) => {
    res.status(201).json({ data: await c.auth.register(req.body, device(req)) });
  });
  router.post('/login', anonymous, ...bruteForce('login', { failuresOnly: true }), async (req, res) => {
    res.json({ data: await c.auth.login(req.body, device(req)) });
  });
  router.post('/refresh-token', anonymous, async (req, res) => {
    res.json({ data: await c.auth.refresh(req.body, device(req)) });
  });
  router.post('/logout', anonymous, async (req, res) => {
    // `all` may come in the body or as ?all=true.
    const all = req.query.all ?? (req.body as { all?: unknown } | undefined)?.all;
    await c.auth.logout({ ...(req.body as object), ...(all !== undefined ? { all } : {}) });
    res.status(204).end();
  });
  router.post('/forgot-password', anonymous, ...bruteForce('forgot-password'), (req, res) => {
    c.accountLinks.requestReset(req.body);
    res.status(202).json({
      data: {
        message: 'If an account uses this address, an email with a link to reset its password is on its way',
      },
    });
  });
  router.post(
    '/reset-password/:token',
    secretInPath,
    anonymous,
    ...bruteForce('reset-password', { failuresOnly: true }),
    async (req, res) => {
      await c.accountLinks.completeReset(req.params.token, req.body);
      res.json({ data: { message: 'Your password has been changed: sign in with it' } });
    },
  );
  router.post(
    '/accept-invite/:token',
    secretInPath,
    anonymous,
    ...bruteForce('accept-invite', { failuresOnly: true }),
    async (req, res) => {
      res.json({ data: await c.accountLinks.acceptInvite(req.params.token, req.body, device(req)) });
    },
  );
  return router;
}

/** The signed-in person's own account. */
export function privateAuthRoutes(c: Pick<Container, 'auth' | 'rateLimits'>): Router {
  const router = Router();
  router.get('/me', async (req, res) => {
    res.json({ data: await c.auth.me(actorOf(req)) });
  });
  router.put('/update-profile', async (req, res) => {
    res.json({ data: await c.auth.updateProfile(actorOf(req), req.body) });
  });
  // A stolen access token must not become a way to guess the current password quickly.
  router.put(
    '/update-password',
    ...c.rateLimits.bruteForce('update-password', { failuresOnly: true }),
    async (req, res) => {
      res.json({ data: await c.auth.updatePassword(actorOf(req), req.body, device(req)) });
    },
  );
  return router;
}
