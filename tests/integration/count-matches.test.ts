import crypto from 'node:crypto';
import type { WhereOptions } from 'sequelize';
import { countMatches } from '../../src/crud/count-matches';
import type { AnyModel } from '../../src/db/models';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant } from '../helpers/tenant';

/**
 * The bounded count of rows matching any of several alternatives (a sales rep's "assigned to me" or "created by
 * me"): a row matching two counts once, and past the limit the answer is "more than the limit". Each answer is
 * checked against the rows themselves, for alternatives that overlap or not, under, at and over the limit,
 * alone and together.
 */
let t: TestApp;
let Lead: AnyModel;
let org: Tenant;
const LIMIT = 5;

interface Row {
  id: string;
  assigned_to: string | null;
  created_by: string;
}
const rows: Row[] = [];

beforeAll(async () => {
  t = await startTestApp();
  Lead = t.c.models.get('Lead');
  org = await createTenant(t.c, 'Count Matches Org');
  const { admin, manager, rep, teamRep, soloRep } = org;
  // [assigned to, created by, how many]
  const groups: [string | null, string, number][] = [
    [rep.id, admin.id, 3], // the rep's, created by the admin
    [null, admin.id, 2], // the admin's own, unassigned
    [manager.id, manager.id, 6], // the manager's: over the limit either way
    [teamRep.id, rep.id, 4], // created by the rep, assigned to another
    [soloRep.id, soloRep.id, 5], // exactly the limit
  ];
  for (const [assigned, creator, n] of groups) {
    for (let i = 0; i < n; i++) {
      rows.push({ id: crypto.randomUUID(), assigned_to: assigned, created_by: creator });
    }
  }
  await Lead.bulkCreate(
    rows.map((r, i) => ({
      ...r,
      organization_id: org.organizationId,
      email: `count${i}.${crypto.randomBytes(3).toString('hex')}@matches.example.com`,
    })),
  );
});
afterAll(() => t.close());

type Field = 'assigned_to' | 'created_by';
type Alternative = [
  Field,
  keyof Pick<Tenant, 'admin' | 'manager' | 'rep' | 'teamRep' | 'soloRep' | 'support'>,
];

const where = ([field, who]: Alternative): WhereOptions => ({
  organization_id: org.organizationId,
  [field]: org[who].id,
});

/** What the count must say, from the rows. */
function expected(alternatives: Alternative[], limit: number) {
  const matching = rows.filter((r) => alternatives.some(([field, who]) => r[field] === org[who].id));
  return limit && matching.length > limit ? { n: limit, exact: false } : { n: matching.length, exact: true };
}

const CASES: [string, Alternative[]][] = [
  [
    'overlapping, together at the limit',
    [
      ['assigned_to', 'rep'],
      ['created_by', 'admin'],
    ],
  ],
  [
    'disjoint, each under the limit, together over it',
    [
      ['assigned_to', 'rep'],
      ['created_by', 'rep'],
    ],
  ],
  [
    'the first over the limit',
    [
      ['created_by', 'manager'],
      ['assigned_to', 'rep'],
    ],
  ],
  [
    'the second over the limit',
    [
      ['assigned_to', 'rep'],
      ['assigned_to', 'manager'],
    ],
  ],
  [
    'one exactly at the limit, the other the same rows',
    [
      ['assigned_to', 'soloRep'],
      ['created_by', 'soloRep'],
    ],
  ],
  [
    'one exactly at the limit, the other empty',
    [
      ['created_by', 'soloRep'],
      ['created_by', 'support'],
    ],
  ],
  [
    'one at the limit, the other adding rows',
    [
      ['assigned_to', 'soloRep'],
      ['assigned_to', 'rep'],
    ],
  ],
  [
    'both empty',
    [
      ['assigned_to', 'support'],
      ['created_by', 'support'],
    ],
  ],
  [
    'three, the last over the limit',
    [
      ['assigned_to', 'rep'],
      ['created_by', 'support'],
      ['assigned_to', 'manager'],
    ],
  ],
  [
    'three under the limit together',
    [
      ['assigned_to', 'rep'],
      ['created_by', 'admin'],
      ['assigned_to', 'support'],
    ],
  ],
  ['one alternative over the limit', [['created_by', 'manager']]],
  ['one alternative under it', [['created_by', 'rep']]],
];

describe.each(CASES)('%s', (_name, alternatives) => {
  it('counts each row once, up to the limit', async () => {
    const answer = await countMatches(Lead, alternatives.map(where), LIMIT);
    expect(answer).toEqual(expected(alternatives, LIMIT));
  });

  it('counts every row with no limit', async () => {
    const answer = await countMatches(Lead, alternatives.map(where), 0);
    expect(answer).toEqual(expected(alternatives, 0));
  });
});

it('counts inside a transaction, seeing its writes', async () => {
  const alternatives = (
    [
      ['assigned_to', 'rep'],
      ['created_by', 'admin'],
    ] as Alternative[]
  ).map(where);
  const before = await countMatches(Lead, alternatives, LIMIT);
  expect(before).toEqual({ n: 5, exact: true });
  const transaction = await Lead.sequelize!.transaction();
  try {
    await Lead.create(
      {
        organization_id: org.organizationId,
        email: `count.extra.${crypto.randomBytes(3).toString('hex')}@matches.example.com`,
        assigned_to: org.rep.id,
        created_by: org.manager.id,
      },
      { transaction },
    );
    expect(await countMatches(Lead, alternatives, LIMIT, transaction)).toEqual({ n: LIMIT, exact: false });
  } finally {
    await transaction.rollback();
  }
  expect(await countMatches(Lead, alternatives, LIMIT)).toEqual(before);
});
