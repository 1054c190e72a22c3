import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Storage } from '../../src/services/storage/s3-storage';
import { startS3, useStandInCredentials } from '../helpers/aws-stand-ins';
import { documentStorageScenarios } from '../helpers/document-scenarios';

documentStorageScenarios('s3', async () => {
  useStandInCredentials();
  const s3 = await startS3();
  const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true });
  // The same store under another name, as browsers reach MinIO in docker compose (localhost, not minio).
  const publicEndpoint = s3.endpoint.replace('127.0.0.1', 'localhost');
  return {
    env: {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_PUBLIC_ENDPOINT: publicEndpoint,
      AWS_REGION: 'us-east-1',
      S3_PREFIX: 'staging',
    },
    keyPrefix: 'staging/',
    inspector: {
      keys: async () =>
        ((await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }))).Contents ?? []).map(
          (o) => o.Key!,
        ),
      fetchSigned: async (_t, url) => {
        expect(url.startsWith(`${publicEndpoint}/${s3.bucket}/`)).toBe(true);
        const res = await fetch(url);
        return {
          status: res.status,
          body: Buffer.from(await res.arrayBuffer()),
          contentType: res.headers.get('content-type'),
        };
      },
      // s3rver checks the access key and the expiry of a presigned URL but does not recompute V4 signatures,
      // so the tampering it can detect is a changed credential; AWS itself also rejects an altered signature.
      tamper: (url) => url.replace(/X-Amz-Credential=S3RVER/, 'X-Amz-Credential=FORGED'),
      expiredUrl: async (t, key) => {
        const url = await (t.c.storage as S3Storage).signedUrl(key, {
          expiresInSeconds: 1,
          filename: 'x',
          contentType: 'image/png',
          disposition: 'inline',
        });
        await new Promise((r) => setTimeout(r, 2100));
        return url;
      },
    },
    teardown: async () => {
      client.destroy();
      await s3.stop();
    },
  };
});
