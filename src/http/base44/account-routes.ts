import { Router, type Request } from 'express';
import type { Session } from '../../auth/sessions';
import type { Container } from '../../container';
import { refuseApiKeys } from '../authenticate';
import { actorOf } from '../request-context';
import { Base44Records } from './records';

const device = (req: Request) => ({ userAgent: req.get('user-agent'), ip: req.ip });

/** Base44's user record: ours in its shape, with the `full_name` apps show. */
export async function presentUser(
  records: Base44Records,
  user: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const full = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return { ...(await records.presentOne(user)), full_name: full || null };
}

/** The SDK keeps only the access token; the refresh token stays out of browser storage. */
async function signedIn(records: Base44Records, session: Session) {
  return {
    access_token: session.access_token,
    token_type: session.token_type,
    expires_in: session.expires_in,
    user: await presentUser(records, session.user),
  };
}

/** `/apps/:appId/auth/...` that work without a token: sign-in, registration by emailed code, password resets. */
export function publicAccountRoutes(c: Container): Router {
  const router = Router({ mergeParams: true });
  const records = new Base44Records(c.models.get('User'));
  const { anonymous, bruteForce } = c.rateLimits;
  const accounts = c.appAccounts;

  router.post('/login', anonymous, ...bruteForce('login', { failuresOnly: true }), async (req, res) => {
    res.json(await signedIn(records, await accounts.login(req.appOrganizationId, req.body, device(req))));
  });
  router.post('/register', anonymous, ...bruteForce('register'), async (req, res) => {
    res.status(201).json(await accounts.register(req.appOrganizationId, req.body));
  });
  router.post(
    '/verify-otp',
    anonymous,
    ...bruteForce('verify-otp', { failuresOnly: true }),
    async (req, res) => {
      res.json(
        await signedIn(records, await accounts.verifyCode(req.appOrganizationId, req.body, device(req))),
      );
    },
  );
  router.post('/resend-otp', anonymous, ...bruteForce('resend-otp'), (req, res) => {
    res.json({ ...accounts.resendCode(req.appOrganizationId, req.body), expires_in_minutes: 10 });
  });
  router.post('/reset-password-request', anonymous, ...bruteForce('forgot-password'), (req, res) => {
    accounts.requestReset(req.body);
    res.json({
      message: 'If an account uses this address, an email with a link to reset its password is on its way',
    });
  });
  router.post(
    '/reset-password',
    anonymous,
    ...bruteForce('reset-password', { failuresOnly: true }),
    async (req, res) => {
      await accounts.resetPassword(req.body);
      res.json({ message: 'Your password has been changed: sign in with it' });
    },
  );
  return router;
}

/** Signed-in routes about the caller's own account, and inviting people. */
export function privateAccountRoutes(c: Container): Router {
  const router = Router({ mergeParams: true });
  const records = new Base44Records(c.models.get('User'));
  const accounts = c.appAccounts;

  // Every other session ends with a password change; the answer carries the caller's new token.
  router.post(
    '/auth/change-password',
    refuseApiKeys,
    ...c.rateLimits.bruteForce('update-password', { failuresOnly: true }),
    async (req, res) => {
      res.json(await signedIn(records, await accounts.changePassword(actorOf(req), req.body, device(req))));
    },
  );
  router.get('/entities/User/me', refuseApiKeys, async (req, res) => {
    res.json(await presentUser(records, await c.auth.me(actorOf(req))));
  });
  router.put('/entities/User/me', refuseApiKeys, async (req, res) => {
    res.json(await presentUser(records, await accounts.updateMe(actorOf(req), req.body)));
  });
  router.post(['/users/invite-user', '/runtime/users/invite-user'], async (req, res) => {
    res.status(201).json(await presentUser(records, await accounts.invite(actorOf(req), req.body)));
  });
  return router;
}
