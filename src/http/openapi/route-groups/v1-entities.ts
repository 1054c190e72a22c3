import type { EntityRuntime } from '../../../crud/registry';
import { EXPORT_FORMATS } from '../../../services/export/record-export';
import { IMPORT_MODES } from '../../../services/import/import-jobs';
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
      method: 'get',
      path: `${base}/export`,
      summary: `Download every ${name} the list filters match, as CSV or JSON`,
      description:
        'Streams all matching records (no paging parameters) with the fields the caller may read, or those named in `fields`. CSV cells that a spreadsheet would run as formulas are escaped. Exports and reports share a limit per user or API key (`EXPORT_RATE_LIMIT_MAX` per `RATE_LIMIT_WINDOW_MS`; refused requests do not count).',
      query: [
        {
          name: 'format',
          description: 'File format (default csv)',
          schema: { enum: [...EXPORT_FORMATS], default: 'csv' },
        },
        ...listParams.filter((p) => ['sort', 'fields', 'search', 'filter'].includes(p.name)),
        ...fieldFilters(rt),
      ],
      responses: {
        200: {
          description: `The ${name} records, as an attachment`,
          content: {
            'text/csv': {
              type: 'string',
              description: 'UTF-8 with a byte order mark: a header line, then one line per record',
            },
            'application/json': { type: 'array', items: ref(name) },
          },
          headers: {
            'Content-Disposition': {
              description: `\`attachment; filename="${path}-<date>.<format>"\``,
              schema: { type: 'string' },
            },
          },
        },
      },
    },
    {
      method: 'post',
      path: `${base}/import`,
      summary: `Import ${name} records from a CSV or JSON file, as a background job`,
      description:
        'Each row is validated and permission-checked like a create, in one transaction. The answer comes at once; `GET .../import/{job}` shows progress and the rows that failed.',
      query: [
        {
          name: 'mode',
          description:
            '`all_or_nothing` (default) keeps nothing if any row fails; `skip_invalid` keeps the valid rows',
          schema: { enum: [...IMPORT_MODES], default: 'all_or_nothing' },
        },
      ],
      body: {
        multipart: {
          type: 'object',
          required: ['file'],
          properties: {
            file: {
              type: 'string',
              format: 'binary',
              description: 'A CSV with a header line of field names, or a JSON array of objects',
            },
          },
        },
      },
      responses: {
        202: {
          description: 'The job, queued',
          schema: dataOf(ref('ImportJob')),
          headers: {
            Location: { description: 'The job: `.../import/{job}`', schema: { type: 'string' } },
          },
        },
        413: { description: 'The file is larger than IMPORT_MAX_BYTES' },
        415: { description: 'Not multipart/form-data, or not a CSV or JSON file' },
      },
    },
    {
      method: 'get',
      path: `${base}/import/:job`,
      summary: `An import of ${name} records: status, counts and failed rows`,
      description: 'Admins see every import of the organization; others the ones they started.',
      params: { job: { type: 'string', format: 'uuid' } },
      responses: { 200: { description: 'The job', schema: dataOf(ref('ImportJob')) } },
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
