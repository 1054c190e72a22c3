import type { Actor, Role } from '../../src/context';
import { covers, readableBy, readableFields } from '../../src/crud/policy';
import { Lead } from '../../src/entities/lead';
import { Product } from '../../src/entities/product';
import { User } from '../../src/entities/user';
import { defineEntity } from '../../src/schema/entity';
import { f } from '../../src/schema/fields';

const ORG = 'org-1';
const actor = (role: Role, userId = 'me', extra: Partial<Actor> = {}): Actor => ({
  organizationId: ORG,
  userId,
  email: `${userId}@example.com`,
  role,
  ...extra,
});
const lead = (owners: { assigned_to?: string | null; created_by?: string | null }, org = ORG) => ({
  id: 'lead-1',
  organization_id: org,
  assigned_to: null,
  created_by: null,
  ...owners,
});
const TEAM = ['me', 'report'];

describe('readableBy', () => {
  it.each([
    // role, owners, expected
    ['admin', {}, true],
    ['admin', { assigned_to: 'stranger' }, true],
    ['manager', { assigned_to: 'me' }, true],
    ['manager', { assigned_to: 'report' }, true],
    ['manager', { created_by: 'report' }, true],
    ['manager', { assigned_to: 'stranger', created_by: 'stranger' }, false],
    ['sales_rep', { assigned_to: 'me' }, true],
    ['sales_rep', { assigned_to: 'stranger', created_by: 'me' }, true],
    ['sales_rep', { assigned_to: 'report' }, false],
    ['sales_rep', {}, false],
    ['support', { assigned_to: 'me' }, false],
  ] as const)('%s, a lead owned by %j: %s', (role, owners, expected) => {
    expect(readableBy(Lead, actor(role), lead(owners), TEAM)).toBe(expected);
  });

  it('never reads another organization’s row, whatever the scope', () => {
    expect(readableBy(Lead, actor('admin'), lead({ assigned_to: 'me' }, 'org-2'), TEAM)).toBe(false);
  });

  it('asks the team only for a team scope', () => {
    expect(readableBy(Lead, actor('sales_rep'), lead({ assigned_to: 'report' }), TEAM)).toBe(false);
    expect(readableBy(Lead, actor('manager'), lead({ assigned_to: 'report' }), ['me'])).toBe(false);
  });

  it('narrows an API key to its scopes', () => {
    const key = (scopes: string[]) =>
      actor('admin', 'me', { apiKey: { id: 'k', scopes, sourceCode: null, rateLimitPerMinute: null } });
    expect(readableBy(Lead, key(['leads:read']), lead({}), TEAM)).toBe(true);
    expect(readableBy(Lead, key(['leads:*']), lead({}), TEAM)).toBe(true);
    expect(readableBy(Lead, key(['*']), lead({}), TEAM)).toBe(true);
    expect(readableBy(Lead, key(['leads:create', 'contacts:read']), lead({}), TEAM)).toBe(false);
  });

  it('lets every role read a declaration without a policy', () => {
    const Note = defineEntity({ name: 'Note', table: 'notes', path: 'notes', fields: { body: f.text() } });
    expect(readableBy(Note, actor('support'), { organization_id: ORG, created_by: 'x' }, TEAM)).toBe(true);
  });
});

describe('readableFields', () => {
  const product = { id: 'p', organization_id: ORG, name: 'Widget', price: 10, cost: 4 };

  it('leaves out the fields the role may not read', () => {
    expect(readableFields(Product, actor('admin'), product)).toEqual(product);
    expect(readableFields(Product, actor('sales_rep'), product)).toEqual({
      id: 'p',
      organization_id: ORG,
      name: 'Widget',
      price: 10,
    });
  });

  it('leaves out hidden fields and anything undeclared, for everyone', () => {
    const user = { id: 'u', email: 'a@example.com', password_hash: 'x', tokens_valid_after: 'y', extra: 1 };
    expect(readableFields(User, actor('admin'), user)).toEqual({ id: 'u', email: 'a@example.com' });
  });
});

describe('covers', () => {
  it.each([
    ['all', 'own', true],
    ['all', 'all', true],
    ['team', 'own', true],
    ['team', 'team', true],
    ['own', 'own', true],
    ['own', 'team', false],
    ['team', 'all', false],
    [false, 'own', false],
    [undefined, 'own', false],
  ] as const)('%s covers %s: %s', (outer, inner, expected) => {
    expect(covers(outer, inner)).toBe(expected);
  });
});
