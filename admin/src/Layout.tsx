import { useState } from 'react';
import { useApp, entityByPath } from './context';
import { pluralLabel } from './lib/meta';
import { Link, navigate, useLocation } from './router';
import { ApiKeys } from './screens/ApiKeys';
import { AuditLog } from './screens/AuditLog';
import { Dashboard } from './screens/Dashboard';
import { EntityList } from './screens/EntityList';
import { Import } from './screens/Import';
import { RecordForm } from './screens/RecordForm';
import { RecordPage } from './screens/RecordPage';
import { SpamQueue } from './screens/SpamQueue';
import { Empty } from './components/States';

/** Navigation on the side (a menu button on a phone), the current screen beside it. */
export function Layout() {
  const { api, user, entities } = useApp();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const readable = entities.filter((e) => e.actions.read);
  const isAdmin = user.role === 'admin';
  const reviewsSpam = isAdmin || user.role === 'manager';

  const screen = () => {
    if (path === '/') return <Dashboard />;
    if (path === '/api-keys' && isAdmin) return <ApiKeys />;
    if (path === '/audit' && isAdmin) return <AuditLog />;
    const spam = /^\/spam(?:\/([^/]+))?$/.exec(path);
    if (spam && reviewsSpam) return <SpamQueue key={spam[1] ?? 'queue'} id={spam[1]} />;
    const m = /^\/e\/([a-z0-9-]+)(?:\/([^/]+))?(?:\/(edit))?$/.exec(path);
    const meta = m ? entityByPath(entities, m[1]!) : undefined;
    if (m && meta) {
      if (!m[2]) return <EntityList key={meta.path} meta={meta} />;
      if (m[2] === 'import' && meta.actions.create) return <Import key={`${meta.path}-import`} meta={meta} />;
      if (m[2] === 'new') return <RecordForm key={`${meta.path}-new`} meta={meta} />;
      if (m[3]) return <RecordForm key={`${meta.path}-${m[2]}`} meta={meta} id={m[2]} />;
      return <RecordPage key={`${meta.path}-${m[2]}`} meta={meta} id={m[2]} />;
    }
    return <Empty>There is no such screen, or your role may not use it.</Empty>;
  };

  return (
    <div className="layout">
      <header className="topbar">
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <Link to="/" className="brand">
          Nexa CRM
        </Link>
        <span className="who">
          {user.email} · {user.role.replace('_', ' ')}
        </span>
        <button type="button" onClick={() => void api.auth.logout().then(() => navigate('/login'))}>
          Sign out
        </button>
      </header>
      <nav id="nav" className={menuOpen ? 'open' : ''} aria-label="Main" onClick={() => setMenuOpen(false)}>
        <ul>
          <li>
            <Link to="/" aria-current={path === '/' ? 'page' : undefined}>
              Dashboard
            </Link>
          </li>
          {readable.map((e) => (
            <li key={e.name}>
              <Link to={`/e/${e.path}`} aria-current={path.startsWith(`/e/${e.path}`) ? 'page' : undefined}>
                {pluralLabel(e)}
              </Link>
            </li>
          ))}
          {reviewsSpam && (
            <>
              <li className="section">Administration</li>
              <li>
                <Link to="/spam" aria-current={path.startsWith('/spam') ? 'page' : undefined}>
                  Spam queue
                </Link>
              </li>
            </>
          )}
          {isAdmin && (
            <>
              <li>
                <Link to="/api-keys">API keys</Link>
              </li>
              <li>
                <Link to="/audit">Audit log</Link>
              </li>
            </>
          )}
        </ul>
      </nav>
      <main id="content">{screen()}</main>
    </div>
  );
}
