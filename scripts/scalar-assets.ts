// `npm run docs:scalar [version]`: refreshes src/docs/scalar/, the copy of Scalar's browser build that
// `/docs` serves (src/docs/scalar-assets.ts says why it is shipped rather than installed). It packs
// `@scalar/api-reference` at the given version (default: the shipped one) from the npm registry,
// takes the ES-module build (`dist/browser/standalone.esm.js` and its chunks, no source maps), and
// writes each file brotli-compressed with a manifest. Nothing is installed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  SCALAR_DIR,
  type ScalarManifest,
  scalarManifest,
  staticImportsOf,
} from '../src/docs/scalar-assets.ts';

const PACKAGE = '@scalar/api-reference';
const version = process.argv[2] ?? scalarManifest().version;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'scalar-'));
try {
  const tarball = execFileSync(
    'npm',
    ['pack', `${PACKAGE}@${version}`, '--silent', '--pack-destination', work],
    {
      encoding: 'utf8',
    },
  ).trim();
  execFileSync('tar', ['xzf', path.join(work, tarball), '-C', work]);
  const browser = path.join(work, 'package', 'dist', 'browser');
  const entry = 'standalone.esm.js';
  const files = [
    entry,
    ...fs
      .readdirSync(path.join(browser, 'chunks'))
      .filter((name) => name.endsWith('.js'))
      .sort()
      .map((name) => `chunks/${name}`),
  ];
  // The LICENSE stays: the package does not carry Scalar's licence file (MIT, in every chunk's banner).
  for (const name of fs.existsSync(SCALAR_DIR) ? fs.readdirSync(SCALAR_DIR) : []) {
    if (name !== 'LICENSE') fs.rmSync(path.join(SCALAR_DIR, name), { recursive: true, force: true });
  }
  fs.mkdirSync(path.join(SCALAR_DIR, 'chunks'), { recursive: true });
  let raw = 0;
  let compressed = 0;
  for (const file of files) {
    const source = fs.readFileSync(path.join(browser, file));
    const brotli = zlib.brotliCompressSync(source, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: source.byteLength,
      },
    });
    fs.writeFileSync(path.join(SCALAR_DIR, `${file}.br`), brotli);
    raw += source.byteLength;
    compressed += brotli.byteLength;
  }
  // The entry's static import graph, so the page can ask for all of it at once.
  const importedBy = (from: string, into: string[] = []): string[] => {
    for (const specifier of staticImportsOf(fs.readFileSync(path.join(browser, from), 'utf8'))) {
      const file = path.posix.join(path.posix.dirname(from), specifier);
      if (into.includes(file)) continue;
      if (!files.includes(file)) throw new Error(`${from} imports ${file}, which the build does not have`);
      into.push(file);
      importedBy(file, into);
    }
    return into;
  };
  const manifest: ScalarManifest = {
    package: PACKAGE,
    version,
    entry,
    preload: importedBy(entry),
    files,
  };
  fs.writeFileSync(path.join(SCALAR_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(
    `wrote ${path.relative(process.cwd(), SCALAR_DIR)}: ${PACKAGE} ${version}, ${files.length} files, ` +
      `${(raw / 1e6).toFixed(2)} MB as ${(compressed / 1e6).toFixed(2)} MB`,
  );
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
