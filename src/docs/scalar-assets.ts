import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompress as brotliDecompressCallback } from 'node:zlib';

/**
 * Scalar's API reference as the browser runs it: the ES-module build of `@scalar/api-reference`
 * (an entry of 0.7 MB and ~115 chunks, most loaded only when a feature is used), shipped in
 * `src/docs/scalar/` brotli-compressed (1.25 MB) with a manifest, and refreshed by
 * `npm run docs:scalar [version]`. Shipped rather than installed: the package's dependency tree is
 * ~190 packages and 300 MB (Vue, CodeMirror, its API client's sources) for files the server only
 * sends, and it declares Node 22. Its single-file build (`standalone.js`, 4.9 MB, or 3.5 MB in
 * 1.46) makes the browser evaluate every feature before the first paint; the ES-module build renders
 * `/docs` in about 60% of that time (docs/decisions.md, "Render time").
 */
export const SCALAR_DIR = path.join(import.meta.dirname, 'scalar');

export interface ScalarManifest {
  package: string;
  version: string;
  /** The module the page imports, relative to the directory. */
  entry: string;
  /** Every module the entry imports statically, directly or not: fetched with it, not one by one. */
  preload: string[];
  /** Every file there is, as `<file>.br`; nothing else is served. */
  files: string[];
}

let manifest: ScalarManifest | undefined;
export function scalarManifest(): ScalarManifest {
  manifest ??= JSON.parse(fs.readFileSync(path.join(SCALAR_DIR, 'manifest.json'), 'utf8')) as ScalarManifest;
  return manifest;
}

/** The modules `source` imports statically (`import … from"./x.js"`, `import"./x.js"`), not `import()`. */
export function staticImportsOf(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(/(?:\bfrom|\bimport)\s*["'](\.\/[^"']+\.js)["']/g))
    found.add(match[1]!);
  return [...found];
}

const compressed = new Map<string, Promise<Buffer>>();

/**
 * One shipped file, brotli-compressed as it is stored (read once per process), or undefined when the
 * manifest does not list it: the request path never reaches the file system unlisted.
 */
export function scalarFile(file: string): Promise<Buffer> | undefined {
  if (!scalarManifest().files.includes(file)) return undefined;
  let bytes = compressed.get(file);
  if (bytes === undefined) {
    bytes = fs.promises.readFile(path.join(SCALAR_DIR, `${file}.br`));
    compressed.set(file, bytes);
  }
  return bytes;
}

/** For the rare reader that does not accept brotli (every current browser does). */
export const decompressed: (brotli: Buffer) => Promise<Buffer> = promisify(brotliDecompressCallback);
