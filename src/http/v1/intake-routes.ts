import express, { Router, type RequestHandler } from 'express';
import type { IntakeForms } from '../../services/intake/intake-forms';
import type { LeadIntake } from '../../services/intake/lead-intake';
import type { SpamLeads } from '../../services/intake/spam-leads';
import { actorOf } from '../request-context';
import { onlyParams, parseListParams } from './list-params';
import { dataRoute, deleteRoute, pageMeta } from './record-routes';

/**
 * `POST /intake/leads`, public: web forms post here cross-origin (JSON or an HTML form's urlencoded body)
 * with their form key. The answer never says whether the lead was held as spam, so bots learn nothing.
 */
export function publicIntakeRoutes(intake: LeadIntake, limit: RequestHandler): Router {
  const router = Router();
  router.post('/leads', limit, express.urlencoded({ extended: false, limit: '64kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const key = req.get('x-intake-key') ?? body.form_key ?? req.query.key;
    await intake.fromForm(key, body, req.ip);
    res.status(202).json({ data: { status: 'received' } });
  });
  return router;
}

/** `/intake/forms`: the admin's intake forms. */
export function intakeFormRoutes(forms: IntakeForms): Router {
  const router = Router();
  router
    .route('/')
    .get(dataRoute((actor) => forms.list(actor)))
    .post(dataRoute((actor, _id, body) => forms.create(actor, body), 201));
  router
    .route('/:id')
    .get(dataRoute((actor, id) => forms.get(actor, id)))
    .patch(dataRoute((actor, id, body) => forms.update(actor, id, body)))
    .delete(deleteRoute((actor, id) => forms.remove(actor, id)));
  router.route('/:id/rotate-key').post(dataRoute((actor, id) => forms.rotateKey(actor, id)));
  return router;
}

/**
 * `POST /leads` with a vendor's API key is screened: 201 with the lead when clean, 202 with the screening
 * (score and reasons) when held as spam. `POST /leads/bulk` likewise: 201 with the created leads in `data`
 * (202 when every one was held) and each held record's index and screening in `meta.held`. Signed-in users'
 * creates go on to the generic routes.
 */
export function vendorLeadRoutes(intake: LeadIntake): Router {
  const router = Router();
  router.post('/bulk', async (req, res, next) => {
    const actor = actorOf(req);
    if (!actor.apiKey) return next();
    onlyParams(req.query, []);
    const outcomes = await intake.fromApiKeyBulk(actor, req.body, req.ip);
    const created = outcomes.flatMap((o) => (o.verdict === 'clean' ? [o.lead] : []));
    const held = outcomes.flatMap((o) =>
      o.verdict === 'spam' ? [{ index: o.index, screening: o.screening }] : [],
    );
    res.status(created.length ? 201 : 202).json({
      data: created,
      meta: { created: created.length, held_as_spam: held.length, held },
    });
  });
  router.post('/', async (req, res, next) => {
    const actor = actorOf(req);
    if (!actor.apiKey) return next();
    onlyParams(req.query, []);
    const outcome = await intake.fromApiKey(actor, req.body, req.ip);
    if (outcome.verdict === 'clean')
      res
        .status(201)
        .location(`${req.baseUrl}/${String(outcome.lead.id)}`)
        .json({ data: outcome.lead });
    else res.status(202).json({ data: { status: 'held_as_spam', screening: outcome.screening } });
  });
  return router;
}

/** `/spam/leads`: what screening held back, for managers and admins. */
export function spamRoutes(spam: SpamLeads): Router {
  const router = Router();
  router.get('/leads', async (req, res) => {
    onlyParams(req.query, ['page', 'limit']);
    const { page, limit, offset } = parseListParams(req.query);
    const { items, total, totalExact } = await spam.list(actorOf(req), { limit, offset: offset ?? 0 });
    res.json({ data: items, meta: pageMeta(page, limit, total, totalExact) });
  });
  router
    .route('/leads/:id')
    .get(dataRoute((actor, id) => spam.get(actor, id)))
    .delete(deleteRoute((actor, id) => spam.remove(actor, id)));
  router.post('/leads/:id/release', async (req, res) => {
    onlyParams(req.query, []);
    const { lead, screening } = await spam.release(actorOf(req), req.params.id);
    res.status(201).json({ data: lead, meta: { screening } });
  });
  return router;
}

/** `GET /analytics/intake?days=30`: daily volume, spam rate and top reasons. */
export function intakeAnalyticsRoutes(spam: SpamLeads): Router {
  const router = Router();
  router.get('/intake', async (req, res) => {
    onlyParams(req.query, ['days']);
    res.json({ data: await spam.stats(actorOf(req), req.query.days) });
  });
  return router;
}
