import { dataOf } from './operation';
import type { JsonSchema, ResponseDoc, RouteDoc } from './types';

/** A JSON object body of these properties and no others; `required` is stated only when given. */
export const objectBody = (properties: Record<string, JsonSchema>, required?: string[]): JsonSchema => ({
  type: 'object',
  properties,
  ...(required ? { required } : {}),
  additionalProperties: false,
});

/** `DELETE path`, answering 204 with no body. */
export const deleteRoute = (path: string, summary: string): RouteDoc => ({
  method: 'delete',
  path,
  summary,
  responses: { 204: { description: 'Deleted' } },
});

/** `GET path` of one thing, answering 200 with `ok`. */
export const getOneRoute = (path: string, summary: string, ok: ResponseDoc): RouteDoc => ({
  method: 'get',
  path,
  summary,
  responses: { 200: ok },
});

/** A `POST path` action without a body (revoke, rotate a key...), answering 200 with `ok`. */
export const actionRoute = (path: string, summary: string, ok: ResponseDoc): RouteDoc => ({
  method: 'post',
  path,
  summary,
  responses: { 200: ok },
});

/** `PATCH path` with `body`, answering 200 with `ok` (and any other answers given). */
export const patchRoute = (
  path: string,
  summary: string,
  body: JsonSchema,
  ok: ResponseDoc,
  others: RouteDoc['responses'] = {},
): RouteDoc => ({ method: 'patch', path, summary, body, responses: { 200: ok, ...others } });

/** A 200 of computed figures: `{ data: { ...properties } }`. */
export const figures = (properties: Record<string, JsonSchema>): ResponseDoc => ({
  description: 'The figures',
  schema: dataOf({ type: 'object', properties }),
});
