import { useState, type FormEvent } from 'react';
import { messageOf } from '../api/errors';
import type { ApiClient } from '../api/types';
import { Link } from '../router';

/** Sign in; `notice` says why the last session ended, if it did. */
export function SignIn({ api, notice }: { api: ApiClient; notice?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await api.auth.login(email, password);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <main className="auth">
      <form onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Nexa CRM</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <Link to="/forgot-password">Forgot your password?</Link>
      </form>
    </main>
  );
}

export function ForgotPassword({ api }: { api: ApiClient }) {
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      setMessage(await api.auth.forgotPassword(email));
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <main className="auth">
      <form onSubmit={submit} aria-labelledby="forgot-title">
        <h1 id="forgot-title">Reset your password</h1>
        <label>
          Email
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        {message && <p role="status">{message}</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">Send the reset link</button>
        <Link to="/login">Back to sign in</Link>
      </form>
    </main>
  );
}

/** The emailed link's screen: reset a forgotten password, or accept an invitation (which signs in). */
export function ResetPassword({
  api,
  token,
  invite = false,
}: {
  api: ApiClient;
  token: string;
  invite?: boolean;
}) {
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      if (invite) await api.auth.acceptInvite(token, password);
      else setMessage(await api.auth.resetPassword(token, password));
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <main className="auth">
      <form onSubmit={submit} aria-labelledby="reset-title">
        <h1 id="reset-title">{invite ? 'Welcome: choose your password' : 'Choose a new password'}</h1>
        {!token && (
          <p className="error" role="alert">
            This link has no token: open the link from the email again.
          </p>
        )}
        <label>
          New password
          <input
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {message && <p role="status">{message}</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={!token}>
          {invite ? 'Set password and sign in' : 'Change password'}
        </button>
        <Link to="/login">Back to sign in</Link>
      </form>
    </main>
  );
}
