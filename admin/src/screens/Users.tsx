import { useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../api/errors';
import { useApp } from '../context';

const ROLES = ['sales_rep', 'manager', 'support', 'admin'];

/** Invite a colleague by email; the role, manager and deactivation are edited on their User record. */
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
      setError(err instanceof ApiError && err.details[0] ? err.details[0].message : messageOf(err));
    }
  };
  return (
    <form className="panel inline" onSubmit={submit} aria-label="Invite a user">
      <label>
        Email to invite
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.target.value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r.replace('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Invite</button>
      {message && <p role="status">{message}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
