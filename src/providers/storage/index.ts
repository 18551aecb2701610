import type { Config } from '../../config.ts';
import type { ServerKeys } from '../../lib/secrets.ts';
import { LocalStorage } from './local.ts';
import { S3Storage } from './s3.ts';
import type { StorageProvider } from './storage.ts';

export type { SignedUrl, StorageProvider } from './storage.ts';
export { isValidStorageKey } from './storage.ts';

const providers = new WeakMap<object, StorageProvider>();

/** The configured provider of one app (`request.server.deps`), built on first use. */
export function storageFor(deps: { config: Config; keys: ServerKeys }): StorageProvider {
  let provider = providers.get(deps);
  if (!provider) {
    provider = createStorage(deps.config, deps.keys);
    providers.set(deps, provider);
  }
  return provider;
}

export function createStorage(config: Config, keys: ServerKeys): StorageProvider {
  const { storage } = config;
  if (storage.driver === 's3') {
    return new S3Storage({
      bucket: storage.s3.bucket!,
      region: storage.s3.region,
      endpoint: storage.s3.endpoint,
      accessKeyId: storage.s3.accessKeyId!,
      secretAccessKey: storage.s3.secretAccessKey!,
      ttlSeconds: storage.urlTtlSeconds,
    });
  }
  return new LocalStorage({
    dir: storage.localDir,
    publicUrl: config.publicUrl,
    signingKey: keys.storage,
    ttlSeconds: storage.urlTtlSeconds,
  });
}
