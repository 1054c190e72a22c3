import type { Request, RequestHandler } from 'express';
import type { Actor } from '../../context';
import { actorOf } from '../request-context';
import { onlyParams } from './list-params';

/**
 * The `meta` of a page of a list: `{ page, limit, total, total_pages }`, and `total_exact` for a bounded
 * count (false: more than `total` match).
 */
export const pageMeta = (page: number, limit: number, total: number, totalExact?: boolean) => ({
  page,
  limit,
  total,
  ...(totalExact === undefined ? {} : { total_exact: totalExact }),
  total_pages: Math.ceil(total / limit),
});

/** The `:id` of a route mounted with one. */
const idOf = (req: Request): string => String(req.params.id);

/**
 * A route without query parameters whose answer is `{ data }`, what the service call returns for the
 * caller and the request's `:id` and body (a `POST` that creates answers 201).
 */
export const dataRoute =
  (call: (actor: Actor, id: string, body: unknown) => Promise<unknown>, status = 200): RequestHandler =>
  async (req, res) => {
    onlyParams(req.query, []);
    res.status(status).json({ data: await call(actorOf(req), idOf(req), req.body) });
  };

/** `DELETE /:id` without query parameters: the service removes the record for the caller, then 204. */
export const deleteRoute =
  (remove: (actor: Actor, id: string) => Promise<unknown>): RequestHandler =>
  async (req, res) => {
    onlyParams(req.query, []);
    await remove(actorOf(req), idOf(req));
    res.status(204).end();
  };
