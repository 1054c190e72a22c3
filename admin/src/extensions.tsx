import { DocumentFile, DocumentUpload } from './screens/Documents';
import { LeadActions, LeadStats } from './screens/Leads';
import { InviteUser, UserAccount } from './screens/Users';
import type { RecordValues } from './api/types';
import type { EntityMeta } from './lib/meta';

/**
 * Screens beyond the generated ones, for the entities that have actions of their own (lead assignment and
 * conversion, document files, invitations). The generic screens render these slots for every entity.
 */
export function ListExtras({ meta, onChanged }: { meta: EntityMeta; onChanged: () => void }) {
  if (meta.name === 'Lead') return <LeadStats />;
  if (meta.name === 'Document' && meta.actions.create) return <DocumentUpload onUploaded={onChanged} />;
  if (meta.name === 'User' && meta.actions.create) return <InviteUser onInvited={onChanged} />;
  return null;
}

export function RecordExtras(props: { meta: EntityMeta; record: RecordValues; onChanged: () => void }) {
  if (props.meta.name === 'Lead') return <LeadActions {...props} />;
  if (props.meta.name === 'Document') return <DocumentFile record={props.record} />;
  if (props.meta.name === 'User') return <UserAccount record={props.record} onChanged={props.onChanged} />;
  return null;
}
