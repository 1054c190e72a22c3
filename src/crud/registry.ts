import type { AnyModel, Models } from '../db/models';
import type { Catalog } from '../schema/catalog';
import { searchedFields, type EntityDeclaration } from '../schema/entity';
import { writeSchemas, type WriteSchemas } from './validation';

/** Everything the generic layer derives from one declaration, computed once at boot. */
export interface EntityRuntime {
  decl: EntityDeclaration;
  model: AnyModel;
  schemas: WriteSchemas;
  /** Columns anyone may ever see (everything but hidden fields). */
  visible: readonly string[];
  searchable: readonly string[];
}

export class EntityRegistry {
  private readonly byNameMap = new Map<string, EntityRuntime>();
  private readonly byPathMap = new Map<string, EntityRuntime>();
  /** related_type value → entity name. */
  readonly relatedTypes: ReadonlyMap<string, string>;

  constructor(catalog: Catalog, models: Models) {
    this.relatedTypes = catalog.relatedTypes;
    const relatable = [...this.relatedTypes.keys()];
    for (const decl of catalog.entities) {
      const fields = Object.entries(decl.fields);
      const runtime: EntityRuntime = {
        decl,
        model: models.get(decl.name),
        schemas: writeSchemas(decl, relatable),
        visible: fields.filter(([, f]) => !f.spec.hidden).map(([n]) => n),
        searchable: searchedFields(decl),
      };
      this.byNameMap.set(decl.name, runtime);
      this.byPathMap.set(decl.path, runtime);
    }
  }

  all(): EntityRuntime[] {
    return [...this.byNameMap.values()];
  }

  byName(name: string): EntityRuntime | undefined {
    return this.byNameMap.get(name);
  }

  get(name: string): EntityRuntime {
    const runtime = this.byNameMap.get(name);
    if (!runtime) throw new Error(`Entity "${name}" is not declared`);
    return runtime;
  }

  byPath(path: string): EntityRuntime | undefined {
    return this.byPathMap.get(path);
  }
}
