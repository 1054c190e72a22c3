import type { Config } from '../../config';
import { ValidationError } from '../../errors';

/**
 * The origins a browser may be sent back to after signing in or out: this server's, and the named
 * frontends (CORS_ORIGINS, APP_BASE_URLS). A wildcard names none: the login page hands out a token.
 */
export function returnOrigins(config: Config): string[] {
  const cors = Array.isArray(config.http.corsOrigins) ? config.http.corsOrigins : [];
  const named = [config.publicUrl, ...cors, ...config.base44.appBaseUrls].flatMap((u) => {
    try {
      return [new URL(u).origin];
    } catch {
      return [];
    }
  });
  return [...new Set(named)];
}

/** `from_url` resolved against this server, or a 400 naming the origins that are allowed. */
export function returnUrl(config: Config, fromUrl: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof fromUrl === 'string' && fromUrl ? new URL(fromUrl, config.publicUrl) : undefined;
  } catch {
    url = undefined;
  }
  const allowed = returnOrigins(config);
  if (!url || !allowed.includes(url.origin)) {
    throw new ValidationError(
      `"from_url" must be a URL on ${allowed.join(', ')} (set APP_BASE_URLS to add your app's origin)`,
      [{ field: 'from_url', message: typeof fromUrl === 'string' ? 'origin not allowed' : 'required' }],
    );
  }
  return url;
}
