import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** The app lives under /admin; screens are paths below it. */
export const BASE = '/admin';

export function navigate(to: string, replace = false): void {
  const url = BASE + to;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The current screen path (without /admin) and query string; re-renders on navigation. */
export function useLocation(): { path: string; params: URLSearchParams } {
  const read = () => ({
    path: location.pathname.slice(BASE.length) || '/',
    params: new URLSearchParams(location.search),
  });
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const update = () => setLoc(read());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return loc;
}

/** A real link (open in a new tab works) that navigates in place on a plain click. */
export function Link({ to, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={BASE + to} onClick={onClick} {...rest} />;
}
