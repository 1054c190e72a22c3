import { allTables } from '../../src/entities';
import { Catalog } from '../../src/schema/catalog';

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
