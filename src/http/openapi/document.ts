import { aggregateSpecSchema } from '../../crud/aggregate';
import type { EntityRegistry } from '../../crud/registry';
import type { Catalog } from '../../schema/catalog';
import { entitySchemas, recordSchema } from './entity-schemas';
import { joiToJsonSchema } from './joi-schema';
import { errorResponses, toOpenApiPath, toOperation } from './operation';
import { ROUTE_GROUPS } from './route-groups';
import { sharedSchemas } from './shared-schemas';
import type { DocContext, JsonSchema, RouteDoc, RouteGroup } from './types';

export interface DocumentSource {
  registry: EntityRegistry;
  catalog: Catalog;
}

/** The version of the API this document describes (the `v1` of `/api/v1`), not of the server build. */
const API_VERSION = '1.0.0';

/**
 * A system table's record as its service presents it: the declaration's fields but `omit`, plus `extra`.
 * None when the catalog lacks the table.
 */
function systemSchema(
  catalog: Catalog,
  name: string,
  omit: string[],
  extra: Record<string, JsonSchema> = {},
): Record<string, JsonSchema> {
  const decl = catalog.get(name);
  if (!decl) return {};
  const schema = recordSchema(decl, [], omit);
  Object.assign(schema.properties as Record<string, JsonSchema>, extra);
  return { [name]: schema };
}

const isoTime: JsonSchema = { type: 'string', format: 'date-time' };

/** Schemas of the service layer's own tables, shaped as their services present them. */
function systemSchemas(catalog: Catalog): Record<string, JsonSchema> {
  return {
    ...systemSchema(catalog, 'ApiKey', ['organization_id', 'key_hash', 'usage_day', 'usage_count'], {
      usage_today: { type: 'integer', description: 'Requests counted against daily_quota today (UTC)' },
    }),
    // services/intake/intake-forms.ts
    ...systemSchema(catalog, 'IntakeForm', ['organization_id']),
    // services/intake/present.ts: the submission instead of the stored payload.
    ...systemSchema(catalog, 'LeadScreening', ['organization_id', 'phone', 'payload'], {
      submitted: {
        type: ['object', 'null'],
        description: 'The fields that were submitted, kept for a submission held as spam',
      },
    }),
    // services/analytics/goals.ts: with progress in the current period (or the one containing `at`).
    ...systemSchema(catalog, 'Goal', ['organization_id'], {
      progress: {
        type: 'object',
        properties: {
          from: isoTime,
          to: isoTime,
          value: { type: 'number', description: 'The metric so far in the period' },
          ratio: { type: ['number', 'null'], description: 'value / target; null for a target of 0' },
          achieved: { type: 'boolean' },
        },
      },
    }),
  };
}

/** Adds an amending route's description and its own responses to the operation it amends. */
function amend(paths: Record<string, Record<string, JsonSchema>>, route: RouteDoc, group: RouteGroup): void {
  const operation = paths[toOpenApiPath(route.path)]?.[route.method];
  if (!operation)
    throw new Error(`${route.method.toUpperCase()} ${route.path} amends a route no group documents`);
  const extra = toOperation(route, group.tag, group.errors);
  const extraResponses = extra.responses as Record<string, JsonSchema>;
  const responses = operation.responses as Record<string, JsonSchema>;
  for (const status of Object.keys(route.responses)) responses[status] ??= extraResponses[status]!;
  const description = [operation.description, extra.description ?? extra.summary].filter(Boolean);
  operation.description = description.join('\n\n');
}

/**
 * The OpenAPI 3.1 document: entity schemas from the declarations, operations from the route groups
 * (the generic ones once per declared entity). Built once per app.
 */
export function buildOpenApiDocument(
  source: DocumentSource,
  groups: readonly RouteGroup[] = ROUTE_GROUPS,
): JsonSchema {
  const ctx: DocContext = {
    registry: source.registry,
    catalog: source.catalog,
    ref: (name) => ({ $ref: `#/components/schemas/${name}` }),
  };
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const tags = new Map<string, string>();
  const amendments: { route: RouteDoc; group: RouteGroup }[] = [];
  for (const group of groups) {
    tags.set(group.tag, group.description);
    for (const route of group.routes(ctx)) {
      if (route.amends) {
        amendments.push({ route, group });
        continue;
      }
      const path = toOpenApiPath(route.path);
      const tag = route.tag ?? group.tag;
      if (!tags.has(tag)) tags.set(tag, source.registry.byName(tag)?.decl.description ?? `${tag} records`);
      paths[path] ??= {};
      if (paths[path][route.method])
        throw new Error(`${route.method.toUpperCase()} ${route.path} is documented twice`);
      paths[path][route.method] = toOperation(route, tag, group.errors);
    }
  }
  for (const { route, group } of amendments) amend(paths, route, group);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Nexa CRM API',
      version: API_VERSION,
      description:
        'A CRM over PostgreSQL with role-based access. `/api/v1` is the REST surface; `/api/apps/{appId}` serves the Base44 SDK. Errors are `{ error: { code, message, details? } }`.',
    },
    tags: [...tags].map(([name, description]) => ({ name, description })),
    security: [{ bearerAuth: [] }, { apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'POST /api/v1/auth/login',
        },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'POST /api/v1/api-keys' },
      },
      schemas: {
        ...sharedSchemas,
        AggregateRequest: joiToJsonSchema(aggregateSpecSchema),
        ...entitySchemas(source.registry),
        ...systemSchemas(source.catalog),
      },
      responses: errorResponses(),
    },
  };
}
