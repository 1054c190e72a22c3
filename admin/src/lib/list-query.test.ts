import { describe, expect, it } from 'vitest';
import {
  defaultColumns,
  downloadName,
  exportParams,
  filterControl,
  nextSort,
  sortDirection,
  stateFromParams,
  stateToParams,
  toQuery,
  type ListState,
} from './list-query';
import { field } from '../test-support';

const fields = [
  field('id', 'uuid', { writable: false }),
  field('first_name', 'string', { searchable: true }),
  field('email', 'email', { searchable: true }),
  field('status', 'enum', { values: ['new', 'contacted', 'converted'] }),
  field('lead_score', 'integer'),
  field('do_not_call', 'boolean'),
  field('created_at', 'timestamp', { writable: false }),
  field('assigned_to', 'ref', { ref: { entity: 'User', path: 'users' } }),
  field('custom_fields', 'json'),
];
const state = (patch: Partial<ListState> = {}): ListState => ({
  search: '',
  sort: '-created_at',
  page: 1,
  pageSize: 20,
  filters: {},
  ...patch,
});

describe('filterControl', () => {
  it('picks the filter each field type calls for', () => {
    expect(fields.map((f) => [f.name, filterControl(f)])).toEqual([
      ['id', 'id'],
      ['first_name', 'text'],
      ['email', 'text'],
      ['status', 'choice'],
      ['lead_score', 'number-range'],
      ['do_not_call', 'boolean'],
      ['created_at', 'date-range'],
      ['assigned_to', 'id'],
      ['custom_fields', null],
    ]);
  });
});

describe('toQuery', () => {
  it('is empty without search or filters', () => {
    expect(toQuery(state(), fields)).toEqual({});
  });

  it('searches every searchable field, case-insensitively, with the term escaped', () => {
    expect(toQuery(state({ search: 'a.c' }), fields)).toEqual({
      $or: [
        { first_name: { $regex: 'a\\.c', $options: 'i' } },
        { email: { $regex: 'a\\.c', $options: 'i' } },
      ],
    });
  });

  it('turns enum, boolean, number and date filters into operators, AND-ed together', () => {
    const q = toQuery(
      state({
        filters: {
          status: 'new',
          do_not_call: 'false',
          'lead_score.min': '50',
          'lead_score.max': '',
          'created_at.from': '2026-01-01',
          assigned_to: '00000000-0000-0000-0000-000000000001',
        },
      }),
      fields,
    );
    expect(q).toEqual({
      $and: [
        { status: { $in: ['new'] } },
        { lead_score: { $gte: 50 } },
        { do_not_call: false },
        { created_at: { $gte: new Date('2026-01-01T00:00:00').toISOString() } },
        { assigned_to: '00000000-0000-0000-0000-000000000001' },
      ],
    });
  });

  it('includes the whole "to" day of a date range', () => {
    const q = toQuery(state({ filters: { 'created_at.to': '2026-03-10' } }), fields) as {
      created_at: { $lt: string };
    };
    expect(q.created_at.$lt).toBe(new Date('2026-03-11T00:00:00').toISOString());
  });
});

describe('sorting', () => {
  it('cycles a column ascending then descending', () => {
    expect(nextSort('-created_at', 'email')).toBe('email');
    expect(nextSort('email', 'email')).toBe('-email');
    expect(nextSort('-email', 'email')).toBe('email');
    expect(sortDirection('-email', 'email')).toBe('descending');
    expect(sortDirection('email', 'email')).toBe('ascending');
    expect(sortDirection('email', 'status')).toBe('none');
  });
});

describe('URL state', () => {
  it('round-trips through the query string, leaving defaults out', () => {
    const s = state({ search: 'acme', sort: 'email', page: 3, filters: { status: 'new' } });
    const params = stateToParams(s, '-created_at');
    expect(params.toString()).toBe('q=acme&sort=email&page=3&f.status=new');
    expect(stateFromParams(params, '-created_at')).toEqual(s);
    expect(stateToParams(state(), '-created_at').toString()).toBe('');
  });
});

describe('defaultColumns', () => {
  it('shows searchable and enum fields first and leaves out bookkeeping and bulky fields', () => {
    expect(defaultColumns(fields)).toEqual([
      'first_name',
      'email',
      'status',
      'lead_score',
      'do_not_call',
      'created_at',
    ]);
  });
});

describe('export', () => {
  it("sends the list's filter, sort and columns, and nothing about paging", () => {
    const p = exportParams({ status: { $in: ['new'] } }, '-created_at', ['email', 'status']);
    expect(Object.fromEntries(p)).toEqual({
      format: 'csv',
      filter: '{"status":{"$in":["new"]}}',
      sort: '-created_at',
      fields: 'email,status',
    });
    expect(Object.fromEntries(exportParams({}, '', []))).toEqual({ format: 'csv' });
  });

  it('takes the file name from Content-Disposition, preferring the exact UTF-8 name', () => {
    expect(downloadName(`attachment; filename="leads_.csv"; filename*=UTF-8''leads%C3%A9.csv`, 'x')).toBe(
      'leadsé.csv',
    );
    expect(downloadName('attachment; filename="leads.csv"', 'x')).toBe('leads.csv');
    expect(downloadName(null, 'leads.csv')).toBe('leads.csv');
  });
});
