import type { Model } from 'sequelize';
import { DataTypes, type ModelAttributeColumnOptions, type ModelStatic, type Sequelize } from 'sequelize';
import type { Declaration } from './entity';
import { NOW, type Field } from './fields';

function dataType(field: Field) {
  const s = field.spec;
  switch (s.kind) {
    case 'string':
    case 'email':
    case 'url':
    case 'phone':
    case 'relatedType':
      return DataTypes.STRING(s.length);
    case 'text':
      return DataTypes.TEXT;
    case 'integer':
      return DataTypes.INTEGER;
    case 'decimal':
      return DataTypes.DECIMAL(s.length, s.scale);
    case 'float':
      return DataTypes.DOUBLE;
    case 'boolean':
      return DataTypes.BOOLEAN;
    case 'timestamp':
      return DataTypes.DATE;
    case 'enum':
      return DataTypes.ENUM(...(s.values ?? []));
    case 'uuid':
    case 'ref':
      return DataTypes.UUID;
    case 'json':
      return DataTypes.JSONB;
    case 'list':
      return DataTypes.ARRAY(DataTypes.TEXT);
  }
}

/** The Sequelize model of a declaration. Only for querying: the schema itself comes from migrations. */
export function defineModel(sequelize: Sequelize, decl: Declaration): ModelStatic<Model> {
  const attributes: Record<string, ModelAttributeColumnOptions> = {};
  for (const [name, field] of Object.entries(decl.fields)) {
    if (name === 'created_at' || name === 'updated_at') continue;
    const v = field.spec.defaultValue;
    attributes[name] = {
      type: dataType(field),
      allowNull: field.allowsNull,
      ...(name === 'id' ? { primaryKey: true, defaultValue: DataTypes.UUIDV4 } : {}),
      ...(v === NOW ? { defaultValue: DataTypes.NOW } : v !== undefined ? { defaultValue: v } : {}),
    };
  }
  return sequelize.define(decl.name, attributes, {
    tableName: decl.table,
    timestamps: true,
    createdAt: 'created_at',
    updatedAt: 'updated_at',
    underscored: true,
  });
}
