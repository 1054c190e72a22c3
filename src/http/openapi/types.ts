import type { EntityRegistry } from '../../crud/registry';
import type { Catalog } from '../../schema/catalog';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it) or any other plain JSON object of the document. */
export type JsonSchema = { [key: string]: unknown };

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface QueryParam {
  name: string;
  /** Default `query`. */
  in?: 'query' | 'header';
  description: string;
  schema: JsonSchema;
  required?: boolean;
}

export interface ResponseDoc {
  description: string;
  schema?: JsonSchema;
  /** Default application/json. */
  contentType?: string;
  /** Several media types (a download as CSV or JSON), instead of `schema` and `contentType`. */
  content?: Record<string, JsonSchema>;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

/** How a surface answers errors: its body schema, and the status of a body that fails validation. */
export interface ErrorStyle {
  schema: string;
  validationStatus: number;
}

/** One route as its group documents it; `operation.ts` turns it into an OpenAPI operation. */
export interface RouteDoc {
  method: Method;
  /** The path as Express mounts it (`/api/v1/leads/:id/assign`); `:name` becomes `{name}`. */
  path: string;
  summary: string;
  description?: string;
  /** The group's tag unless given (the generic entity routes are tagged by entity). */
  tag?: string;
  /** `public` needs no credentials; by default a bearer token or an API key is required. */
  access?: 'public' | 'signed-in';
  /** Schemas of path parameters; by default `id` is a UUID and the rest are strings. */
  params?: Record<string, JsonSchema>;
  query?: QueryParam[];
  /** A JSON body, a multipart form, or a body in several media types (`content`: type → schema). */
  body?: JsonSchema | { multipart: JsonSchema } | { content: Record<string, JsonSchema> };
  responses: Partial<Record<number, ResponseDoc>>;
  /**
   * Adds to the operation another group documents at the same method and path, for a router mounted
   * before that one which takes some of its requests: its description is appended, its responses join.
   */
  amends?: boolean;
}

/** What route groups may draw on: the declarations, and references to the shared schemas. */
export interface DocContext {
  registry: EntityRegistry;
  catalog: Catalog;
  /** `{ $ref }` to a schema in components (entity records, their write bodies, shared shapes). */
  ref(name: string): JsonSchema;
}

/** The documentation of one router (one file under route-groups/). */
export interface RouteGroup {
  tag: string;
  description: string;
  /** How its routes answer errors; /api/v1's shape unless given. */
  errors?: ErrorStyle;
  routes(ctx: DocContext): RouteDoc[];
}
