import Joi from 'joi';
import { joiQueryParams, joiToJsonSchema } from '../../src/http/openapi/joi-schema';

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

  it("leaves out forbidden keys and carries an object's minimum of keys", () => {
    const schema = Joi.object({ prompt: Joi.string().required(), file_urls: Joi.forbidden() }).min(1);
    expect(joiToJsonSchema(schema)).toEqual({
      type: 'object',
      properties: { prompt: { type: 'string' } },
      required: ['prompt'],
      minProperties: 1,
      additionalProperties: false,
    });
  });

  it('does not call a body closed when its service strips unknown keys instead of refusing them', () => {
    const schema = Joi.object({ email: Joi.string().email({ tlds: false }).required() });
    expect(joiToJsonSchema(schema, { stripsUnknown: true })).toEqual({
      type: 'object',
      properties: { email: { type: 'string', format: 'email' } },
      required: ['email'],
    });
  });
});

describe('joiQueryParams', () => {
  const schema = Joi.object({
    period: Joi.string().valid('week', 'month').default('month'),
    days: Joi.number().integer().min(1).required(),
  });

  it('makes one parameter per key, with its schema, description and whether it is required', () => {
    expect(joiQueryParams(schema, { period: 'The period', days: 'How many days' })).toEqual([
      { name: 'period', description: 'The period', schema: { enum: ['week', 'month'], default: 'month' } },
      { name: 'days', description: 'How many days', schema: { type: 'integer', minimum: 1 }, required: true },
    ]);
  });

  it('refuses a parameter nobody described', () => {
    expect(() => joiQueryParams(schema, { period: 'The period' })).toThrow('"days" has no description');
  });
});
