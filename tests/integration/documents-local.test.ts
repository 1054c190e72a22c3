import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalStorage } from '../../src/services/storage/local-storage';
import { documentStorageScenarios } from '../helpers/document-scenarios';
import { binary } from '../helpers/files';

function walk(dir: string, root = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name), root) : [path.relative(root, path.join(dir, e.name))],
    );
}

documentStorageScenarios('local', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexa-uploads-'));
  return {
    env: { STORAGE_DRIVER: 'local', UPLOADS_DIR: dir, PUBLIC_URL: 'http://files.test' },
    keyPrefix: '',
    inspector: {
      keys: async () => walk(dir),
      // Signed links point at PUBLIC_URL; the test sends the same path to the app in-process.
      fetchSigned: async (t, url) => {
        const u = new URL(url);
        const res = await t.http
          .get(u.pathname + u.search)
          .buffer(true)
          .parse(binary);
        return {
          status: res.status,
          body: res.body as Buffer,
          contentType: res.headers['content-type'] ?? null,
        };
      },
      tamper: (url) =>
        url.replace(/signature=([^&])/, (_, c: string) => `signature=${c === 'A' ? 'B' : 'A'}`),
      expiredUrl: (t, key) =>
        (t.c.storage as LocalStorage).signedUrl(key, {
          expiresInSeconds: -1,
          filename: 'x',
          contentType: 'image/png',
          disposition: 'inline',
        }),
    },
    teardown: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
