import { FULL, own, TEAM } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { RELATED_INDEX, relatedRecord } from './common';

export const Document = defineEntity({
  name: 'Document',
  table: 'documents',
  path: 'documents',
  description: 'A file kept for a record — uploaded and stored, or linked from elsewhere by URL.',
  fields: {
    name: f.string(255).required().searchable(),
    description: f.text(),
    category: f.string(100).index(),
    url: f.url().describe('For linked documents: where the file lives'),
    original_filename: f.string(255).readOnly().searchable(),
    mime_type: f.string(255).readOnly(),
    size_bytes: f.integer().min(0).readOnly(),
    checksum_sha256: f.string(64).readOnly(),
    storage_driver: f.string(20).readOnly(),
    storage_key: f.string(512).hidden(),
    is_private: f.boolean().default(true),
    uploaded_by: f.ref('User').readOnly().index(),
    ...relatedRecord(),
  },
  indexes: [RELATED_INDEX],
  tags: true,
  owner: ['uploaded_by', 'created_by'],
  policy: { admin: FULL, manager: TEAM, sales_rep: own(null), support: own(null) },
});
