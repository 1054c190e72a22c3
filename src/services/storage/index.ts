import type { Config } from '../../config';
import { LocalStorage } from './local-storage';
import { S3Storage } from './s3-storage';
import type { Storage } from './storage';
import { UrlSigner } from './url-signer';

export function createStorage(config: Config, signingSecret: string): Storage {
  const { storage } = config;
  if (storage.driver === 's3') return new S3Storage(storage.s3);
  return new LocalStorage(storage.dir, new UrlSigner(signingSecret), config.publicUrl);
}
