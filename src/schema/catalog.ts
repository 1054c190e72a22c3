import type { Declaration, EntityDeclaration } from './entity';
import { snakeCase } from './naming';
import { tableShape, type TableShape } from './physical';

/** Lookups over a set of declarations: names to tables, and the physical shapes they imply. */
export class Catalog {
  private readonly byName: Map<string, Declaration>;

  constructor(readonly tables: readonly Declaration[]) {
    this.byName = new Map(tables.map((d) => [d.name, d]));
  }

  get entities(): EntityDeclaration[] {
    return this.tables.filter((d): d is EntityDeclaration => d.kind === 'entity');
  }

  get(name: string): Declaration | undefined {
    return this.byName.get(name);
  }

  tableOf = (name: string): string => {
    const decl = this.byName.get(name);
    if (!decl) throw new Error(`A reference names "${name}", which is not declared`);
    return decl.table;
  };

  /** related_type value (`link_analytics`) → entity name (`LinkAnalytics`). */
  get relatedTypes(): Map<string, string> {
    return new Map(this.entities.map((e) => [snakeCase(e.name), e.name]));
  }

  shapes(): TableShape[] {
    return this.tables.map((d) => tableShape(d, this.tableOf));
  }
}
