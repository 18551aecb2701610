import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * A new embedded database starts from a copy of the empty cluster PGlite's `initdb` makes, made once
 * and shipped in this directory (`pglite-<version>.tar.br`, ~1.3 MB), instead of running initdb:
 * PGlite runs initdb as a second PostgreSQL in the same process and restores a full copy of the
 * first one's memory between its steps, which peaked at ~700 MB and took several seconds; loading
 * the copy takes under a second and ~300 MB (docs/performance.md, "Process memory").
 *
 * The copy fits only the PostgreSQL build it was made with, so it is named by PGlite's version; with
 * any other version installed PGlite runs initdb as before. `npm run db:cluster` makes the copy for
 * the installed version (test/db/cluster-template.test.ts fails until it exists).
 */
export const CLUSTER_TEMPLATE_DIR = path.join(import.meta.dirname, 'cluster');

export function installedPGliteVersion(): string {
  // The package does not export its package.json: find it above its entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  let dir = path.dirname(entry);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

export function clusterTemplateFile(version = installedPGliteVersion()): string {
  return path.join(CLUSTER_TEMPLATE_DIR, `pglite-${version}.tar.br`);
}

/** The shipped empty cluster as the tarball PGlite's `loadDataDir` takes, if there is one for this PGlite. */
export function loadClusterTemplate(): Blob | undefined {
  const file = clusterTemplateFile();
  if (!fs.existsSync(file)) return undefined;
  return new Blob([zlib.brotliDecompressSync(fs.readFileSync(file))]);
}

/** Brotli at its best: made once per PGlite version, read at every new database. */
export function compressClusterTemplate(tar: Uint8Array): Buffer {
  return zlib.brotliCompressSync(tar, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: tar.byteLength,
    },
  });
}
