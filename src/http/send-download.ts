import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Download } from '../services/storage/storage';
import { contentDisposition } from '../services/storage/content-disposition';

/**
 * Streams a stored file with headers that keep browsers from running it: the stored type, nosniff,
 * a sandboxing CSP, and `attachment` for anything not known to be safe to show inline.
 */
export async function sendDownload(res: Response, d: Download, cacheControl: string): Promise<void> {
  if (d.kind === 'redirect') {
    res.redirect(302, d.url);
    return;
  }
  res.setHeader('Content-Type', d.contentType);
  res.setHeader('Content-Disposition', contentDisposition(d.disposition, d.filename));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Cache-Control', cacheControl);
  if (d.size !== null) res.setHeader('Content-Length', String(d.size));
  try {
    await pipeline(d.body, res);
  } catch (err) {
    // The client went away mid-download (a cancelled download, a closed tab): nothing to answer. Giving the
    // response up (again) tells InFlightRequests this handler is done.
    if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' && res.destroyed) {
      res.destroy();
      return;
    }
    throw err;
  }
}
