import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import type { DownloadOptions, ObjectInfo, Storage } from './storage';
import { contentDisposition } from './content-disposition';

export interface S3Options {
  bucket: string;
  region: string;
  /** For MinIO and other S3-compatible stores. */
  endpoint?: string;
  /**
   * Where browsers reach the same store, when not at `endpoint`: a container network's `http://minio:9000`
   * is `http://localhost:9000` on the host. Signed links are signed for this host, as they must be.
   */
  publicEndpoint?: string;
  forcePathStyle: boolean;
}

/**
 * Objects in an S3 bucket. Credentials come from the AWS default provider chain (environment, shared
 * config, ECS task role, EC2 instance profile); none are configured here. Uploads stream in parts, so
 * large files never sit in memory.
 */
export class S3Storage implements Storage {
  readonly driver = 's3' as const;
  readonly client: S3Client;
  /** Signs download links; the same client unless browsers reach the store at another address. */
  private readonly signer: S3Client;

  constructor(private readonly o: S3Options) {
    const clientAt = (endpoint: string | undefined) =>
      new S3Client({
        region: o.region,
        ...(endpoint ? { endpoint } : {}),
        forcePathStyle: o.forcePathStyle,
      });
    this.client = clientAt(o.endpoint);
    this.signer = o.publicEndpoint ? clientAt(o.publicEndpoint) : this.client;
  }

  async put(key: string, body: Readable, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.o.bucket, Key: key, Body: body, ContentType: contentType },
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async get(key: string): Promise<Readable | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.o.bucket, Key: key }));
      return res.Body as Readable;
    } catch (err) {
      if (err instanceof NoSuchKey || err instanceof NotFound) return undefined;
      throw err;
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.o.bucket, Key: key }));
      return { size: res.ContentLength ?? 0, contentType: res.ContentType };
    } catch (err) {
      if (err instanceof NotFound || (err as { name?: string }).name === 'NotFound') return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.o.bucket, Key: key }));
  }

  signedUrl(key: string, o: DownloadOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.o.bucket,
      Key: key,
      ResponseContentType: o.contentType,
      ResponseContentDisposition: contentDisposition(o.disposition, o.filename),
    });
    return getSignedUrl(this.signer, command, { expiresIn: o.expiresInSeconds });
  }
}
