import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { AppError, NotFoundError } from '../../errors';
import type { Download, DownloadOptions, ObjectInfo, Storage } from './storage';
import type { UrlSigner } from './url-signer';

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Files under a directory on this machine; downloads go through the app with HMAC-signed, expiring URLs. */
export class LocalStorage implements Storage {
  readonly driver = 'local' as const;

  constructor(
    private readonly root: string,
    private readonly signer: UrlSigner,
    private readonly publicUrl: string,
  ) {}

  /** Keys are server-generated, but a key is still never allowed to leave the root directory. */
  private pathOf(key: string): string {
    if (!SAFE_KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
      throw new Error(`Refusing unsafe storage key ${JSON.stringify(key)}`);
    }
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, body: Readable): Promise<void> {
    const file = this.pathOf(key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    try {
      await pipeline(body, fs.createWriteStream(partial, { flags: 'wx' }));
      await fs.promises.rename(partial, file);
    } catch (err) {
      await fs.promises.rm(partial, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Readable | undefined> {
    const file = this.pathOf(key);
    try {
      await fs.promises.access(file);
    } catch {
      return undefined;
    }
    return fs.createReadStream(file);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      return { size: (await fs.promises.stat(this.pathOf(key))).size };
    } catch {
      return undefined;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }

  /** Serves a link made by `signedUrl`, if its signature holds and it has not expired. */
  async openSigned(key: string, query: Record<string, unknown>): Promise<Download> {
    const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : '');
    const params = {
      key,
      expires: Number(text('expires')),
      disposition: text('disposition'),
      filename: text('filename'),
      contentType: text('type'),
    };
    const verdict = this.signer.verify(params, text('signature'));
    if (verdict !== 'valid') {
      throw new AppError(
        403,
        verdict === 'expired' ? 'LINK_EXPIRED' : 'LINK_INVALID',
        `This download link is ${verdict}: ask for a new one`,
      );
    }
    const size = (await this.head(key))?.size;
    const body = size === undefined ? undefined : await this.get(key);
    if (!body) throw new NotFoundError('The file no longer exists');
    return {
      kind: 'stream',
      body,
      size: size ?? null,
      contentType: params.contentType,
      filename: params.filename,
      disposition: params.disposition === 'inline' ? 'inline' : 'attachment',
    };
  }

  async signedUrl(key: string, o: DownloadOptions): Promise<string> {
    const params = {
      key,
      expires: Math.floor(Date.now() / 1000) + o.expiresInSeconds,
      disposition: o.disposition,
      filename: o.filename,
      contentType: o.contentType,
    };
    const query = new URLSearchParams({
      expires: String(params.expires),
      disposition: params.disposition,
      filename: params.filename,
      type: params.contentType,
      signature: this.signer.sign(params),
    });
    return `${this.publicUrl}/files/${key}?${query.toString()}`;
  }
}
