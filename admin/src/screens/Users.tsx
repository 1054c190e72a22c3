import { useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../api/errors';
import type { RecordValues } from '../api/types';
import { Alert, ErrorNote, Status } from '../components/States';
import { useAsync } from '../components/useAsync';
import { useApp } from '../context';
import { recordTitle } from '../lib/meta';

const ROLES = ['sales_rep', 'manager', 'support', 'admin'];

/** The first field problem the server named, else the failure's message. */
const problemOf = (err: unknown) =>
  err instanceof ApiError && err.details[0] ? err.details[0].message : messageOf(err);

function RoleSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (role: string) => void;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r.replace('_', ' ')}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Invite a colleague by email; the role, manager and deactivation are set on their record (UserAccount). */
export function InviteUser({ onInvited }: { onInvited: () => void }) {
  const { api } = useApp();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('sales_rep');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    setMessage('');
    try {
      await api.request('/users/invite', { method: 'POST', json: { email, role } });
      setMessage(`Invitation sent to ${email}`);
      setEmail('');
      onInvited();
    } catch (err) {
      setError(problemOf(err));
    }
  };
  return (
    <form className="panel inline" onSubmit={submit} aria-label="Invite a user">
      <label>
        Email to invite
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <RoleSelect label="Role" value={role} onChange={setRole} />
      <button type="submit">Invite</button>
      <Status message={message} />
      <Alert message={error} />
    </form>
  );
}

/**
 * An admin's controls over someone's account: role, manager, and deactivate/reactivate (which ends their
 * sessions). Nobody changes these on their own account, so they are not offered there.
 */
export function UserAccount({ record, onChanged }: { record: RecordValues; onChanged: () => void }) {
  const { api, user } = useApp();
  const [role, setRole] = useState(String(record.role ?? 'sales_rep'));
  const [manager, setManager] = useState(String(record.manager_id ?? ''));
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const manages = user.role === 'admin' && record.id !== user.id;
  const colleagues = useAsync(
    () =>
      manages
        ? api.entities.User!.filter({ is_active: true, id: { $ne: record.id } }, 'first_name', 100)
        : Promise.resolve([]),
    [record.id, manages],
  );
  if (user.role !== 'admin') return null;
  if (!manages) return <p className="note">Your own role and access are changed by another admin.</p>;

  const save = async (values: RecordValues, done: string) => {
    setError('');
    setMessage('');
    try {
      await api.entities.User!.update(String(record.id), values);
      setMessage(done);
      onChanged();
    } catch (err) {
      setError(problemOf(err));
    }
  };
  const active = record.is_active !== false;
  return (
    <section className="panel" aria-labelledby="account-title">
      <h2 id="account-title">Account</h2>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void save({ role }, `Role changed to ${role.replace('_', ' ')}`);
        }}
      >
        <RoleSelect label="Account role" value={role} onChange={setRole} />
        <button type="submit" disabled={role === record.role}>
          Change role
        </button>
      </form>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void save({ manager_id: manager || null }, manager ? 'Manager set' : 'Manager removed');
        }}
      >
        <label>
          Reports to
          <select value={manager} onChange={(e) => setManager(e.target.value)}>
            <option value="">(nobody)</option>
            {(colleagues.data ?? []).map((c) => (
              <option key={String(c.id)} value={String(c.id)}>
                {recordTitle(c)}
              </option>
            ))}
            {manager && !colleagues.data?.some((c) => c.id === manager) && (
              <option value={manager}>(current manager)</option>
            )}
          </select>
        </label>
        <button type="submit" disabled={manager === String(record.manager_id ?? '')}>
          Set manager
        </button>
      </form>
      <p>
        {active ? (
          <button
            type="button"
            className="danger"
            onClick={() => void save({ is_active: false }, 'Deactivated: their sessions have ended')}
          >
            Deactivate
          </button>
        ) : (
          <button type="button" onClick={() => void save({ is_active: true }, 'Reactivated')}>
            Reactivate
          </button>
        )}
      </p>
      <ErrorNote error={colleagues.error} />
      <Status message={message} />
      <Alert message={error} />
    </section>
  );
}
