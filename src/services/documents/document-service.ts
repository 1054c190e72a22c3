import crypto from 'node:crypto';
import type { Actor } from '../../context';
import type { CrudServices } from '../../crud/services';
import type { AnyModel } from '../../db/models';
import { NotFoundError } from '../../errors';
import type { RecordChange } from '../../events';
import type { Logger } from '../../logger';
import type { ReceivedFile } from '../files/receive';
import { INLINE_SAFE } from '../files/sniff';
import type { Download, Storage } from '../storage/storage';

export interface DocumentFiles {
  /** Prepended to every storage key, so environments can share a bucket. */
  keyPrefix: string;
  signedUrlTtlSeconds: number;
  publicUrl: string;
}

interface StoredDocument {
  id: string;
  name: string;
  original_filename: string | null;
  mime_type: string | null;
  size_bytes: number | null;
  storage_key: string | null;
  is_private: boolean;
  url: string | null;
}

const ATTRIBUTES = [
  'id',
  'name',
  'original_filename',
  'mime_type',
  'size_bytes',
  'storage_key',
  'is_private',
  'url',
];

/**
 * Documents whose bytes live in storage. Rows and objects never drift apart: a failed upload leaves no
 * row, a row that cannot be written takes its object with it, and deleting a document (by any route)
 * deletes its object.
 */
export class DocumentService {
  constructor(
    private readonly crud: CrudServices,
    private readonly documents: AnyModel,
    private readonly storage: Storage,
    private readonly o: DocumentFiles,
    private readonly logger: Logger,
  ) {}

  newKey(organizationId: string): string {
    return [this.o.keyPrefix, organizationId, crypto.randomUUID()].filter(Boolean).join('/');
  }

  /** Creates the Document row for a stored upload; without a row, the object is removed again. */
  async attach(
    actor: Actor,
    file: ReceivedFile & { originalName: string },
    fields: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const id = crypto.randomUUID();
    const isPublic = fields.is_private === false || fields.is_private === 'false';
    try {
      return await this.crud.for(actor, 'Document').create(
        { name: file.originalName, ...fields },
        {
          assign: {
            id,
            original_filename: file.originalName,
            mime_type: file.mime,
            size_bytes: file.size,
            checksum_sha256: file.sha256,
            storage_driver: this.storage.driver,
            storage_key: file.key,
            uploaded_by: actor.userId,
            url: isPublic ? this.publicUrl(id) : null,
          },
        },
      );
    } catch (err) {
      await this.storage
        .delete(file.key)
        .catch((e: unknown) => this.logger.error(`Could not remove ${file.key}: ${String(e)}`));
      throw err;
    }
  }

  publicUrl(id: string): string {
    return `${this.o.publicUrl}/files/public/${id}`;
  }

  private async stored(actor: Actor, id: string): Promise<StoredDocument> {
    await this.crud.for(actor, 'Document').get(id); // visibility and permission, or 404/403
    return (await this.documents.findByPk(id, {
      attributes: ATTRIBUTES,
      raw: true,
    })) as unknown as StoredDocument;
  }

  private presentation(doc: StoredDocument) {
    const contentType = doc.mime_type ?? 'application/octet-stream';
    return {
      contentType,
      filename: doc.original_filename ?? doc.name,
      disposition: INLINE_SAFE.has(contentType) ? ('inline' as const) : ('attachment' as const),
    };
  }

  /** `ttlSeconds`: how long the link works, when the caller chooses (Base44's CreateFileSignedUrl does). */
  async downloadUrl(
    actor: Actor,
    id: string,
    ttlSeconds?: number,
  ): Promise<{ url: string; expires_at: string | null }> {
    const doc = await this.stored(actor, id);
    if (!doc.storage_key) {
      if (doc.url) return { url: doc.url, expires_at: null };
      throw new NotFoundError('This document has no file');
    }
    const ttl = ttlSeconds ?? this.o.signedUrlTtlSeconds;
    const url = await this.storage.signedUrl(doc.storage_key, {
      ...this.presentation(doc),
      expiresInSeconds: ttl,
    });
    return { url, expires_at: new Date(Date.now() + ttl * 1000).toISOString() };
  }

  async open(actor: Actor, id: string): Promise<Download> {
    return this.download(await this.stored(actor, id));
  }

  /** The stable link of a public document: no sign-in, and nothing for private ones. */
  async openPublic(id: string): Promise<Download> {
    const doc = /^[0-9a-f-]{36}$/i.test(id)
      ? ((await this.documents.findOne({
          where: { id, is_private: false },
          attributes: ATTRIBUTES,
          raw: true,
        })) as unknown as StoredDocument | null)
      : null;
    if (!doc?.storage_key) throw new NotFoundError('No such public file');
    return this.download(doc);
  }

  private async download(doc: StoredDocument): Promise<Download> {
    if (!doc.storage_key) {
      if (doc.url) return { kind: 'redirect', url: doc.url };
      throw new NotFoundError('This document has no file');
    }
    const body = await this.storage.get(doc.storage_key);
    if (!body) throw new NotFoundError('The file of this document is missing from storage');
    return { kind: 'stream', body, size: doc.size_bytes, ...this.presentation(doc) };
  }

  /** Listener for committed changes: a deleted document's object goes too. */
  onChange = (change: RecordChange): void => {
    const key =
      change.type === 'delete' && change.entity === 'Document' ? change.stored.storage_key : undefined;
    if (typeof key !== 'string') return;
    this.storage
      .delete(key)
      .catch((err: unknown) => this.logger.error(`Could not delete stored object ${key}: ${String(err)}`));
  };
}
