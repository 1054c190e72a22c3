import { Router } from 'express';
import type { EmailService } from '../../services/mail/email-service';
import { actorOf } from '../request-context';

/** Sending mail; the Email records themselves are served by the generic router mounted after this one. */
export function emailRoutes(emails: EmailService): Router {
  const router = Router();
  router.post('/send', async (req, res) => {
    const data = await emails.send(actorOf(req), req.body);
    res
      .status(201)
      .location(`${req.baseUrl}/${String(data.id)}`)
      .json({ data });
  });
  return router;
}
