import { defineSystemTable } from '../schema/entity';
import { f } from '../schema/fields';

/**
 * A public web form that posts leads. Its key is not a secret (it sits in the form's page): it only says which
 * organization and form a lead is for; screening, not the key, keeps spam out.
 */
export const IntakeForm = defineSystemTable({
  name: 'IntakeForm',
  table: 'intake_forms',
  fields: {
    organization_id: f.ref('Organization', 'CASCADE').required().index(),
    created_by: f.ref('User', 'CASCADE').required(),
    name: f.string(100).required(),
    public_key: f.string(64).required().unique('global'),
    /** Stamped as the lead's source. */
    source: f.string(100).default('web_form'),
    /** Who new leads are assigned to; nobody when null. */
    assign_to: f.ref('User'),
    /** A field real visitors leave empty (hidden by the form's CSS); bots fill it. */
    honeypot_field: f.string(100).default('website_url'),
    active: f.boolean().default(true),
  },
});
