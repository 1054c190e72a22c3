import { useState, type FormEvent } from 'react';
import { messageOf } from '../api/errors';
import { Alert, LoadNotes } from '../components/States';
import { Table } from '../components/Table';
import { useAsync } from '../components/useAsync';
import { useApp } from '../context';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  source_code: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

/** Integration keys: create one (its secret is shown once), see them, revoke or rotate them. */
export function ApiKeys() {
  const { api } = useApp();
  const keys = useAsync(async () => (await api.request<{ data: ApiKey[] }>('/api-keys?limit=100')).data, []);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState('leads:create');
  const [secret, setSecret] = useState<{ name: string; key: string }>();
  const [error, setError] = useState('');

  const act = async (run: () => Promise<void>) => {
    setError('');
    try {
      await run();
      keys.reload();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const create = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const list = scopes.split(/[\s,]+/).filter(Boolean);
      const r = await api.request<{ data: ApiKey & { key: string } }>('/api-keys', {
        method: 'POST',
        json: { name, scopes: list },
      });
      setSecret({ name: r.data.name, key: r.data.key });
      setName('');
    });
  };
  const rotate = (k: ApiKey) =>
    act(async () => {
      const r = await api.request<{ data: ApiKey & { key: string } }>(`/api-keys/${k.id}/regenerate`, {
        method: 'POST',
      });
      setSecret({ name: r.data.name, key: r.data.key });
    });
  const revoke = (k: ApiKey) =>
    act(async () => {
      await api.request(`/api-keys/${k.id}/revoke`, { method: 'POST' });
    });

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">API keys</h1>
      <form className="panel inline" onSubmit={create} aria-label="Create an API key">
        <label>
          Name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Scopes (e.g. leads:create, contacts:read, *)
          <input required value={scopes} onChange={(e) => setScopes(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          Create key
        </button>
      </form>
      {secret && (
        <div className="panel secret" role="status">
          <p>
            The secret of <strong>{secret.name}</strong> — copy it now, it will not be shown again:
          </p>
          <code>{secret.key}</code>
          <button type="button" onClick={() => setSecret(undefined)}>
            I have copied it
          </button>
        </div>
      )}
      <Alert message={error} />
      <LoadNotes state={keys} count={keys.data?.length} empty="No API keys yet." />
      {keys.data && keys.data.length > 0 && (
        <Table columns={['Name', 'Key', 'Scopes', 'Last used', 'Status', 'Actions']}>
          {keys.data.map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{k.scopes.join(', ')}</td>
              <td>{k.last_used_at ? new Date(k.last_used_at).toLocaleString() : 'never'}</td>
              <td>{k.revoked_at ? 'revoked' : 'active'}</td>
              <td>
                {!k.revoked_at && (
                  <>
                    <button type="button" onClick={() => void rotate(k)}>
                      Rotate
                    </button>{' '}
                    <button type="button" className="danger" onClick={() => void revoke(k)}>
                      Revoke
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
