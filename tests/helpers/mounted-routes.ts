import type { Express } from 'express';

interface Layer {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

const paths = (p: string | string[] | undefined): string[] => (Array.isArray(p) ? p : [p ?? '']);
const join = (prefix: string, p: string): string => `${prefix}/${p}`.replace(/\/{2,}/g, '/');

/**
 * Every route the app answers, as `METHOD /path` with Express's own parameter syntax: walks the router
 * stack of the app and every router mounted in it (middleware that is not a router serves no route).
 */
export function mountedRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all'))
          for (const p of paths(layer.route.path)) found.push(`${method.toUpperCase()} ${join(prefix, p)}`);
      } else if (layer.handle?.stack) {
        for (const p of paths(layer.rawPath)) walk(layer.handle.stack, join(prefix, p));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...new Set(found)];
}
