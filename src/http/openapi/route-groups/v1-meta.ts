import { dataOf } from '../operation';
import type { JsonSchema, RouteGroup } from '../types';

const scope = { enum: ['all', 'team', 'own'] };

/** An entity as services/meta/entity-meta.ts describes it to one caller. */
const entityMeta: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', examples: ['Lead'] },
    path: { type: 'string', examples: ['leads'] },
    description: { type: 'string' },
    defaultSort: { type: 'string' },
    actions: {
      type: 'object',
      description: 'What the caller may do, and over which rows',
      properties: { read: scope, create: scope, update: scope, delete: scope },
    },
    fields: {
      type: 'array',
      description: 'The fields the caller may read (none without read or create)',
      items: {
        type: 'object',
        required: ['name', 'kind', 'required', 'nullable', 'writable', 'searchable', 'sortable'],
        properties: {
          name: { type: 'string' },
          kind: { type: 'string', examples: ['string', 'enum', 'ref', 'timestamp'] },
          required: { type: 'boolean' },
          nullable: { type: 'boolean' },
          writable: {
            type: 'boolean',
            description: 'False for server-assigned fields and ones the role may not set',
          },
          searchable: { type: 'boolean' },
          sortable: { type: 'boolean' },
          values: { type: 'array', items: { type: 'string' }, description: "An enum's values" },
          itemKind: { type: 'string', description: 'What a list holds' },
          ref: {
            type: 'object',
            description: 'The entity a reference points to',
            properties: { entity: { type: 'string' }, path: { type: 'string' } },
          },
          default: {},
          min: { type: 'number' },
          max: { type: 'number' },
          length: { type: 'integer' },
          description: { type: 'string' },
        },
      },
    },
    relations: {
      type: 'array',
      description: 'Readable entities whose records point at this one',
      items: {
        type: 'object',
        properties: { entity: { type: 'string' }, path: { type: 'string' }, field: { type: 'string' } },
      },
    },
  },
};

export const v1MetaRoutes: RouteGroup = {
  tag: 'Metadata',
  description:
    'The declared entities as the caller may use them: what the admin app builds its screens from.',
  routes: () => [
    {
      method: 'get',
      path: '/api/v1/meta/entities',
      summary: 'Every entity the caller may use, with its fields, actions and relations',
      responses: { 200: { description: 'Entities', schema: dataOf({ type: 'array', items: entityMeta }) } },
    },
    {
      method: 'get',
      path: '/api/v1/meta/entities/:name',
      summary: 'One entity, by name (`Lead`) or path (`leads`)',
      params: { name: { type: 'string' } },
      responses: {
        200: { description: 'The entity', schema: dataOf(entityMeta) },
        403: { description: 'The role may not use this entity' },
      },
    },
  ],
};
