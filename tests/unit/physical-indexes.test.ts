import { diffSchema } from '../../src/db/schema-diff';
import { allTables } from '../../src/entities';
import { Catalog } from '../../src/schema/catalog';
import { createTables, ENABLE_TRIGRAMS } from '../../src/schema/ddl';
import { searchedFields } from '../../src/schema/entity';
import { TRIGRAM } from '../../src/schema/physical';

const shapes = new Catalog(allTables).shapes();
const indexesOf = (table: string) =>
  Object.fromEntries(shapes.find((s) => s.name === table)!.indexes.map((i) => [i.name, i.columns]));

describe('indexes derived from the declarations', () => {
  const leads = indexesOf('leads');

  it('leads a declared index with the organization unless a reference leads it', () => {
    expect(leads.leads_organization_id_status_created_at_id_idx).toEqual([
      'organization_id',
      'status',
      'created_at',
      'id',
    ]);
    expect(leads.leads_assigned_to_organization_id_status_created_at_id_idx).toEqual([
      'assigned_to',
      'organization_id',
      'status',
      'created_at',
      'id',
    ]);
  });

  it("drops a reference's own index where a declared index it leads serves its lookups", () => {
    expect(leads.leads_created_by_organization_id_status_created_at_id_idx?.[0]).toBe('created_by');
    expect(Object.keys(leads).filter((name) => /^leads_(created_by|assigned_to)_idx$/.test(name))).toEqual(
      [],
    );
    // Elsewhere the reference keeps the index of its own.
    expect(indexesOf('contacts').contacts_created_by_idx).toEqual(['created_by']);
  });
});

describe('search indexes', () => {
  const catalog = new Catalog(allTables);
  const shapeOf = (table: string) => shapes.find((s) => s.name === table)!;

  it('gives every entity with searchable fields one trigram index over all of them', () => {
    for (const decl of catalog.entities) {
      const searched = searchedFields(decl);
      const index = shapeOf(decl.table).indexes.find((i) => i.method === TRIGRAM);
      // An index missing one field of the OR serves none of it: the search would read every row again.
      if (searched.length) expect({ [decl.table]: index?.columns }).toEqual({ [decl.table]: searched });
      else expect(index).toBeUndefined();
    }
    expect(shapeOf('leads').indexes).toContainEqual({
      name: 'leads_search_trgm_idx',
      columns: ['first_name', 'last_name', 'email', 'phone', 'company'],
      unique: false,
      method: TRIGRAM,
    });
  });

  it('creates it with the pg_trgm operator class, after enabling the extension', () => {
    const [enable, ...rest] = createTables([shapeOf('deals')]);
    expect(enable).toBe(ENABLE_TRIGRAMS);
    expect(rest).toContain(
      'CREATE INDEX IF NOT EXISTS "deals_search_trgm_idx" ON "deals" USING gin ("name" gin_trgm_ops)',
    );
  });

  it('enables the extension first when a migration adds a trigram index to a table that exists', () => {
    const deals = shapeOf('deals');
    const before = { ...deals, indexes: deals.indexes.filter((i) => i.method !== TRIGRAM) };
    const changes = diffSchema([deals], [before]);
    expect(changes.map((c) => c.description)).toEqual([
      'enable the pg_trgm extension',
      'deals: create index deals_search_trgm_idx',
    ]);
    // A B-tree of the same name and columns is another index: it is replaced.
    const btree = { ...deals, indexes: deals.indexes.map((i) => ({ ...i, method: undefined })) };
    expect(diffSchema([deals], [btree]).map((c) => c.description)).toEqual([
      'enable the pg_trgm extension',
      'deals: drop index deals_search_trgm_idx',
      'deals: create index deals_search_trgm_idx',
    ]);
  });
});
