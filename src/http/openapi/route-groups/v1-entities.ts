import type { EntityRuntime } from '../../../crud/registry';
import { dataOf, listOf } from '../operation';
import { listParams, pageParams, RESERVED_QUERY_NAMES } from '../query-params';
import type { DocContext, QueryParam, RouteDoc, RouteGroup } from '../types';

/** `status=new`, `lead_score[gte]=50`: one parameter per filterable field of the declaration. */
function fieldFilters(rt: EntityRuntime): QueryParam[] {
  return rt.visible
    .filter((name) => !RESERVED_QUERY_NAMES.has(name) && rt.decl.fields[name]!.spec.kind !== 'json')
    .map((name) => ({
      name,
      description: `Equal to this (repeat for any of several); operators as \`${name}[gte]=\`, \`${name}[in]=a,b\`, …`,
      schema: { type: 'string' },
    }));
}

/** The generic routes of one entity, as `entity-router.ts` mounts them at /api/v1/<path>. */
function entityRoutes(rt: EntityRuntime, { ref }: DocContext): RouteDoc[] {
  const { name, path } = rt.decl;
  const base = `/api/v1/${path}`;
  const one = { description: `The ${name}`, schema: dataOf(ref(name)) };
  const routes: RouteDoc[] = [
    {
      method: 'get',
      path: base,
      summary: `List ${name} records`,
      query: [...listParams, ...fieldFilters(rt)],
      responses: { 200: { description: `${name} records`, schema: listOf(ref(name)) } },
    },
    {
      method: 'post',
      path: base,
      summary: `Create a ${name}`,
      body: ref(`${name}Create`),
      responses: { 201: one, 409: { description: 'A unique field is taken' } },
    },
    {
      method: 'post',
      path: `${base}/bulk`,
      summary: `Create up to 1,000 ${name} records in one transaction: all, or none and a 400 listing each bad row`,
      body: { type: 'array', maxItems: 1000, items: ref(`${name}Create`) },
      responses: {
        201: {
          description: 'The records',
          schema: {
            type: 'object',
            properties: {
              data: { type: 'array', items: ref(name) },
              meta: { type: 'object', properties: { created: { type: 'integer' } } },
            },
          },
        },
      },
    },
    {
      method: 'post',
      path: `${base}/aggregate`,
      summary: `Group ${name} records and measure them in the database`,
      body: ref('AggregateRequest'),
      responses: { 200: { description: 'Groups', schema: dataOf(ref('AggregateResult')) } },
    },
    {
      method: 'get',
      path: `${base}/:id`,
      summary: `One ${name}`,
      query: [{ name: 'fields', description: 'Only these fields', schema: { type: 'string' } }],
      responses: { 200: one },
    },
    {
      method: 'patch',
      path: `${base}/:id`,
      summary: `Change fields of a ${name}`,
      body: ref(`${name}Update`),
      responses: { 200: one },
    },
    {
      method: 'put',
      path: `${base}/:id`,
      summary: `Change fields of a ${name} (as PATCH: only the fields sent)`,
      body: ref(`${name}Update`),
      responses: { 200: one },
    },
    {
      method: 'delete',
      path: `${base}/:id`,
      summary: `Delete a ${name}`,
      responses: { 204: { description: 'Deleted' } },
    },
    {
      method: 'get',
      path: `${base}/:id/history`,
      summary: `Changes to a ${name}, newest first`,
      query: pageParams,
      responses: { 200: { description: 'Audit entries', schema: listOf(ref('AuditEntry')) } },
    },
    {
      method: 'get',
      path: `${base}/:id/timeline`,
      summary: `A ${name}'s changes and related activity, newest first`,
      query: listParams.filter((p) => ['limit', 'cursor'].includes(p.name)),
      responses: {
        200: {
          description: 'Timeline items',
          schema: {
            type: 'object',
            properties: {
              data: { type: 'array', items: { type: 'object' } },
              meta: {
                type: 'object',
                properties: { limit: { type: 'integer' }, next_cursor: { type: ['string', 'null'] } },
              },
            },
          },
        },
      },
    },
  ];
  return routes.map((r) => ({ ...r, tag: name }));
}

export const v1EntityRoutes: RouteGroup = {
  tag: 'Entities',
  description:
    "The same routes for every declared entity, with the caller's role deciding which records, fields and actions it reaches (403 for an action the role never has, 404 for a record outside its reach).",
  routes: (ctx) => ctx.registry.all().flatMap((rt) => entityRoutes(rt, ctx)),
};
