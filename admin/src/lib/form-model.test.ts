import { describe, expect, it } from 'vitest';
import { fieldErrors, formFields, initialValues, toBody } from './form-model';
import { field } from '../test-support';

const fields = [
  field('id', 'uuid', { writable: false }),
  field('email', 'email', { required: true }),
  field('status', 'enum', { values: ['new', 'lost'], default: 'new' }),
  field('lead_score', 'integer', { default: 0 }),
  field('is_private', 'boolean', { default: true }),
  field('tags', 'list', { default: [] }),
  field('custom_fields', 'json', { default: {} }),
  field('notes', 'text'),
];

describe('formFields', () => {
  it('edits only what this role may write', () => {
    expect(formFields(fields).map((f) => f.name)).not.toContain('id');
  });
});

describe('initialValues', () => {
  it('starts a new record from the declared defaults', () => {
    expect(initialValues(fields)).toEqual({
      email: '',
      status: 'new',
      lead_score: '0',
      is_private: true,
      tags: '',
      custom_fields: '{}',
      notes: '',
    });
  });

  it('shows a stored record as input values', () => {
    const v = initialValues(fields, { email: 'a@b.c', lead_score: 40, tags: ['x', 'y'], is_private: false });
    expect(v).toMatchObject({ email: 'a@b.c', lead_score: '40', tags: 'x, y', is_private: false, notes: '' });
  });
});

describe('toBody', () => {
  it('types the values for a create and leaves empty inputs out', () => {
    const values = { ...initialValues(fields), email: ' new@x.io ', lead_score: '55', tags: 'a, b,' };
    expect(toBody(fields, values)).toEqual({
      body: {
        email: 'new@x.io',
        status: 'new',
        lead_score: 55,
        is_private: true,
        tags: ['a', 'b'],
        custom_fields: {},
      },
      errors: {},
    });
  });

  it('sends only the changed fields on edit, and null for an emptied one', () => {
    const initial = initialValues(fields, { email: 'a@b.c', lead_score: 40, notes: 'hi' });
    const { body } = toBody(fields, { ...initial, lead_score: '41', notes: '' }, initial);
    expect(body).toEqual({ lead_score: 41, notes: null });
  });

  it('reports malformed numbers and JSON at their fields', () => {
    const values = { ...initialValues(fields), lead_score: 'abc', custom_fields: '{oops' };
    expect(toBody(fields, values).errors).toEqual({
      lead_score: 'Enter a number',
      custom_fields: 'Enter valid JSON',
    });
  });
});

describe('fieldErrors', () => {
  it("puts the server's messages at their fields and keeps the rest apart", () => {
    expect(
      fieldErrors(fields, [
        { field: 'email', message: 'email is required' },
        { field: 'custom_fields.tier', message: 'must be a string' },
        { field: 'assigned_to', message: 'may not be changed' },
        { message: 'something else' },
      ]),
    ).toEqual({
      byField: { email: 'email is required', custom_fields: 'must be a string' },
      general: ['assigned_to: may not be changed', 'something else'],
    });
  });
});
