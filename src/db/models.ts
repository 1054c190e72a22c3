import type { Model, ModelStatic, Sequelize } from 'sequelize';
import type { Catalog } from '../schema/catalog';
import { defineModel } from '../schema/model';

export type AnyModel = ModelStatic<Model>;

/** The Sequelize models of every declared table, defined once per connection. */
export class Models {
  private readonly byName = new Map<string, AnyModel>();

  constructor(
    readonly sequelize: Sequelize,
    catalog: Catalog,
  ) {
    for (const decl of catalog.tables) this.byName.set(decl.name, defineModel(sequelize, decl));
  }

  get(name: string): AnyModel {
    const model = this.byName.get(name);
    if (!model) throw new Error(`No model for "${name}"`);
    return model;
  }
}
