import { defineSystemTable } from '../schema/entity';
import { f } from '../schema/fields';

/**
 * A file import run in the background: the upload is kept in storage until the job has read it, and the job
 * row says how far it got, what it created and which rows failed (the first ones; `failed` counts them all).
 */
export const ImportJob = defineSystemTable({
  name: 'ImportJob',
  table: 'import_jobs',
  fields: {
    organization_id: f.ref('Organization', 'CASCADE').required(),
    created_by: f.ref('User', 'CASCADE').required().index(),
    entity: f.string(50).required(),
    format: f.enum(['csv', 'json']).required(),
    mode: f.enum(['all_or_nothing', 'skip_invalid']).required(),
    status: f.enum(['queued', 'running', 'completed', 'failed']).default('queued'),
    file_name: f.string(255),
    file_key: f.string(512),
    processed: f.integer().default(0),
    created: f.integer().default(0),
    failed: f.integer().default(0),
    committed: f.boolean().default(false),
    failures: f.json<unknown[]>().default([]),
    ignored_columns: f.tags().default([]),
    error: f.text(),
    started_at: f.timestamp(),
    finished_at: f.timestamp(),
  },
  indexes: [['organization_id', 'created_at']],
});
