import Joi from 'joi';
import { joiToJsonSchema } from '../../src/http/openapi/joi-schema';

describe('joiToJsonSchema', () => {
  it('carries types, bounds, formats, enums, nulls, defaults and required keys', () => {
    const schema = Joi.object({
      name: Joi.string().trim().max(100).required(),
      email: Joi.string().email({ tlds: false }).allow(null, ''),
      status: Joi.string().valid('new', 'lost').default('new'),
      score: Joi.number().integer().min(0).max(100),
      owner: Joi.string().guid().allow(null),
      at: Joi.date().iso(),
      tags: Joi.array().items(Joi.string().max(20)).max(5).unique(),
      extra: Joi.object().unknown(true),
    });
    expect(joiToJsonSchema(schema)).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 100 },
        email: {
          anyOf: [{ type: 'string', format: 'email' }, { enum: [''] }, { type: 'null' }],
        },
        status: { enum: ['new', 'lost'], default: 'new' },
        score: { type: 'integer', minimum: 0, maximum: 100 },
        owner: { type: ['string', 'null'], format: 'uuid' },
        at: { type: 'string', format: 'date-time' },
        tags: { type: 'array', items: { type: 'string', maxLength: 20 }, maxItems: 5, uniqueItems: true },
        extra: { type: 'object' },
      },
      required: ['name'],
      additionalProperties: false,
    });
  });

  it('keeps an open object open and a pattern as its source', () => {
    expect(joiToJsonSchema(Joi.object({ code: Joi.string().pattern(/^[a-z]+$/) }).unknown(true))).toEqual({
      type: 'object',
      properties: { code: { type: 'string', pattern: '^[a-z]+$' } },
      additionalProperties: true,
    });
  });
});
