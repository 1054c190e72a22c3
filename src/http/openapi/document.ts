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

/** Schemas of the service layer's own tables, shaped as their services present them. */
function systemSchemas(catalog: Catalog): Record<string, JsonSchema> {
  const apiKey = catalog.get('ApiKey');
  if (!apiKey) return {};
  const schema = recordSchema(apiKey, [], ['organization_id', 'key_hash', 'usage_day', 'usage_count']);
  const properties = schema.properties as Record<string, JsonSchema>;
  properties.usage_today = {
    type: 'integer',
    description: 'Requests counted against daily_quota today (UTC)',
  };
  return { ApiKey: schema };
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
