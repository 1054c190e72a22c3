import { defineSystemTable } from '../schema/entity';
import { f } from '../schema/fields';

/** The tenant. Every entity row belongs to exactly one organization. */
export const Organization = defineSystemTable({
  name: 'Organization',
  table: 'organizations',
  fields: {
    name: f.string(200).required(),
    slug: f.string(100).required().unique('global'),
    /** The Base44 app id this organization answers to (what migrated frontends pass as `appId`). */
    app_id: f.string(100).unique('global'),
    settings: f.json<Record<string, unknown>>().default({}),
  },
});
