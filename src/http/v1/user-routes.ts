import { Router } from 'express';
import type { AccountLinks } from '../../auth/account-links';
import { actorOf } from '../request-context';

/** Inviting people; the User records themselves are served by the generic router mounted after this one. */
export function userRoutes(accountLinks: AccountLinks): Router {
  const router = Router();
  router.post('/invite', async (req, res) => {
    const data = await accountLinks.invite(actorOf(req), req.body);
    res
      .status(201)
      .location(`${req.baseUrl}/${String(data.id)}`)
      .json({ data });
  });
  return router;
}
