import { FULL, READ_ONLY } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';

export const LinkAnalytics = defineEntity({
  name: 'LinkAnalytics',
  table: 'link_analytics',
  path: 'link-analytics',
  description: 'A tracked link and how it performs: clicks, where they come from, which campaign.',
  fields: {
    url: f.url().required().searchable(),
    short_code: f.string(50).searchable().unique(),
    title: f.string(200).searchable(),
    campaign_id: f.ref('Campaign').index(),
    clicks: f.integer().min(0).default(0),
    unique_clicks: f.integer().min(0).default(0),
    conversions: f.integer().min(0).default(0),
    last_clicked_at: f.timestamp(),
    utm_source: f.string(100).index(),
    utm_medium: f.string(100),
    utm_campaign: f.string(100),
    utm_term: f.string(100),
    utm_content: f.string(100),
    referrers: f.json<Record<string, number>>().default({}).describe('Click counts per referring host'),
    countries: f.json<Record<string, number>>().default({}).describe('Click counts per country code'),
    is_active: f.boolean().default(true),
  },
  defaultSort: '-created_at',
  policy: { admin: FULL, manager: FULL, sales_rep: READ_ONLY },
});
