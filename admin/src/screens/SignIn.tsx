import { useState, type FormEvent, type ReactNode } from 'react';
import { messageOf } from '../api/errors';
import type { ApiClient } from '../api/types';
import { Alert, Status } from '../components/States';
import { Link } from '../router';

/**
 * The frame of the signed-out forms: a titled form whose `run` is the request; a string it returns is
 * shown as the outcome, a failure as an alert. `children` are the fields, between title and outcome.
 */
function AuthForm({
  id,
  title,
  run,
  submit,
  disabled,
  back,
  children,
}: {
  id: string;
  title: string;
  run: () => Promise<string | void>;
  submit: string;
  disabled?: boolean;
  back: { to: string; text: string };
  children: ReactNode;
}) {
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      const outcome = await run();
      if (typeof outcome === 'string') setMessage(outcome);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <main className="auth">
      <form onSubmit={onSubmit} aria-labelledby={id}>
        <h1 id={id}>{title}</h1>
        {children}
        <Status message={message} />
        <Alert message={error} />
        <button type="submit" disabled={disabled}>
          {submit}
        </button>
        <Link to={back.to}>{back.text}</Link>
      </form>
    </main>
  );
}

/** A required email or password input with its label. */
function Input({
  label,
  type,
  autoComplete,
  value,
  onChange,
}: {
  label: string;
  type: 'email' | 'password';
  autoComplete?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <input
        type={type}
        autoComplete={autoComplete}
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

const BACK_TO_SIGN_IN = { to: '/login', text: 'Back to sign in' };

/** Sign in; `notice` says why the last session ended, if it did. */
export function SignIn({ api, notice }: { api: ApiClient; notice?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await api.auth.login(email, password);
    } catch (err) {
      setBusy(false);
      throw err;
    }
  };
  return (
    <AuthForm
      id="signin-title"
      title="Sign in to Nexa CRM"
      run={run}
      submit={busy ? 'Signing in…' : 'Sign in'}
      disabled={busy}
      back={{ to: '/forgot-password', text: 'Forgot your password?' }}
    >
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <Input label="Email" type="email" autoComplete="username" value={email} onChange={setEmail} />
      <Input
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
      />
    </AuthForm>
  );
}

export function ForgotPassword({ api }: { api: ApiClient }) {
  const [email, setEmail] = useState('');
  return (
    <AuthForm
      id="forgot-title"
      title="Reset your password"
      run={() => api.auth.forgotPassword(email)}
      submit="Send the reset link"
      back={BACK_TO_SIGN_IN}
    >
      <Input label="Email" type="email" value={email} onChange={setEmail} />
    </AuthForm>
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
  const run = async () => {
    if (invite) await api.auth.acceptInvite(token, password);
    else return api.auth.resetPassword(token, password);
  };
  return (
    <AuthForm
      id="reset-title"
      title={invite ? 'Welcome: choose your password' : 'Choose a new password'}
      run={run}
      submit={invite ? 'Set password and sign in' : 'Change password'}
      disabled={!token}
      back={BACK_TO_SIGN_IN}
    >
      {!token && (
        <p className="error" role="alert">
          This link has no token: open the link from the email again.
        </p>
      )}
      <Input
        label="New password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={setPassword}
      />
    </AuthForm>
  );
}
