import { useEffect, useMemo, useState } from 'react';
import { createApiClient } from './api/client';
import { Session, type SessionUser } from './api/session';
import type { ApiClient } from './api/types';
import { Loading, ErrorNote } from './components/States';
import { App } from './context';
import type { EntityMeta } from './lib/meta';
import { Layout } from './Layout';
import { navigate, useLocation } from './router';
import { ForgotPassword, ResetPassword, SignIn } from './screens/SignIn';

const session = new Session();
const SIGNED_OUT_SCREENS = ['/login', '/forgot-password', '/reset-password', '/accept-invite'];

/** Signed out: the sign-in screens. Signed in: load what this user may use, then the app. */
export function Root() {
  const { path, params } = useLocation();
  const [user, setUser] = useState<SessionUser | null>(session.user);
  const [notice, setNotice] = useState<string>();
  const [entities, setEntities] = useState<EntityMeta[]>();
  const [error, setError] = useState<unknown>(null);
  const bare = useMemo(() => createApiClient(session, {}), []);

  useEffect(
    () =>
      session.onChange((u, reason) => {
        setUser(u);
        setEntities(undefined);
        if (!u) setNotice(reason);
      }),
    [],
  );

  useEffect(() => {
    if (!user) return;
    setError(null);
    bare.auth
      .me()
      .then(() => bare.request<{ data: EntityMeta[] }>('/meta/entities'))
      .then((r) => setEntities(r.data), setError);
  }, [user, bare]);

  // Signed in on a sign-in screen (just signed in, or an old link): go to the dashboard.
  useEffect(() => {
    if (user && SIGNED_OUT_SCREENS.includes(path)) navigate('/', true);
  }, [user, path]);

  const api: ApiClient | undefined = useMemo(
    () =>
      entities
        ? createApiClient(session, Object.fromEntries(entities.map((e) => [e.name, e.path])))
        : undefined,
    [entities],
  );

  if (!user) {
    if (path === '/forgot-password') return <ForgotPassword api={bare} />;
    if (path === '/reset-password') return <ResetPassword api={bare} token={params.get('token') ?? ''} />;
    if (path === '/accept-invite')
      return <ResetPassword api={bare} token={params.get('token') ?? ''} invite />;
    return <SignIn api={bare} notice={notice} />;
  }
  if (error) return <ErrorNote error={error} />;
  if (!entities || !api) return <Loading what="Loading your workspace" />;
  return (
    <App.Provider value={{ api, user: session.user ?? user, entities }}>
      <Layout />
    </App.Provider>
  );
}
