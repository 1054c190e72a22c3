import type { ErrorStyle, JsonSchema, RouteDoc } from './types';

/** Express's `:name` and `*name` parameters as OpenAPI's `{name}`, without a trailing slash. */
export function toOpenApiPath(expressPath: string): string {
  const path = expressPath.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}').replace(/\/+$/, '');
  return path || '/';
}

const pathParams = (expressPath: string): string[] =>
  [...expressPath.matchAll(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input: unknown parameter or field, invalid value (`details` names each)',
  401: 'No credentials, or invalid or expired ones',
  403: 'Signed in, but this role or API key may not do this',
  404: 'Not found, or not visible to the caller',
  422: 'Invalid fields (named in `extra_data.details`)',
  429: 'Too many requests: retry after `Retry-After` seconds',
};

/** /api/v1's `{ error: { code, message, details } }`; its error answers are shared components. */
export const V1_ERRORS: ErrorStyle = { schema: 'Error', validationStatus: 400 };

const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const errorContent = (style: ErrorStyle): JsonSchema => ({
  'application/json': { schema: schemaRef(style.schema) },
});

export const errorResponses = (): JsonSchema =>
  Object.fromEntries(
    [400, 401, 403, 404, 429].map((status) => [
      `Error${status}`,
      { description: ERROR_DESCRIPTIONS[status], content: errorContent(V1_ERRORS) },
    ]),
  );

function errorResponse(status: number, style: ErrorStyle): JsonSchema {
  if (style === V1_ERRORS) return { $ref: `#/components/responses/Error${status}` };
  return { description: ERROR_DESCRIPTIONS[status], content: errorContent(style) };
}

function requestBody(body: NonNullable<RouteDoc['body']>): JsonSchema {
  const only = Object.keys(body).length === 1;
  if ('multipart' in body && only)
    return { required: true, content: { 'multipart/form-data': { schema: body.multipart } } };
  if ('content' in body && only) {
    const types = body.content as Record<string, JsonSchema>;
    return {
      required: true,
      content: Object.fromEntries(Object.entries(types).map(([type, schema]) => [type, { schema }])),
    };
  }
  return { required: true, content: { 'application/json': { schema: body } } };
}

/** The OpenAPI operation of one documented route, with the error answers every such route can give. */
export function toOperation(route: RouteDoc, tag: string, style: ErrorStyle = V1_ERRORS): JsonSchema {
  const params = pathParams(route.path);
  const parameters = [
    ...params.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema:
        route.params?.[name] ?? (name === 'id' ? { type: 'string', format: 'uuid' } : { type: 'string' }),
    })),
    ...(route.query ?? []).map((q) => ({
      name: q.name,
      in: q.in ?? 'query',
      required: q.required ?? false,
      description: q.description,
      schema: q.schema,
    })),
  ];
  const responses: JsonSchema = {};
  for (const [status, r] of Object.entries(route.responses)) {
    if (!r) continue;
    // Error answers carry the error body unless the route says otherwise.
    const schema = r.schema ?? (Number(status) >= 400 ? schemaRef(style.schema) : undefined);
    const content = r.content
      ? Object.fromEntries(Object.entries(r.content).map(([type, s]) => [type, { schema: s }]))
      : schema && { [r.contentType ?? 'application/json']: { schema } };
    responses[status] = {
      description: r.description,
      ...(r.headers ? { headers: r.headers } : {}),
      ...(content ? { content } : {}),
    };
  }
  const errors = new Set<number>();
  if (route.access !== 'public') [401, 403, 429].forEach((s) => errors.add(s));
  if (route.body || route.query?.some((q) => q.in !== 'header') || route.access !== 'public') errors.add(400);
  if (route.body) errors.add(style.validationStatus);
  if (params.length) errors.add(404);
  for (const status of [...errors].sort()) responses[String(status)] ??= errorResponse(status, style);

  return {
    tags: [tag],
    operationId: `${route.method}${toOpenApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ?? '').toUpperCase())}`,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: requestBody(route.body) } : {}),
    responses,
  };
}

/** `{ data: schema }`, the /api/v1 envelope of one value. */
export const dataOf = (schema: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['data'],
  properties: { data: schema },
});

/** `{ data: [schema], meta }`, the /api/v1 envelope of a list. */
export const listOf = (schema: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'array', items: schema }, meta: { $ref: '#/components/schemas/PageMeta' } },
});
