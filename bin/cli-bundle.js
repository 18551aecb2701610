// Builds the TypeScript CLI into one JavaScript file for bin/nexus.js (see there for why).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const BUNDLE_NAME = /^cli-[0-9a-f]{16}\.mjs$/;

/**
 * A bundle has one `import.meta` for every module in it; sources that find files beside themselves
 * (reference data, the repository root) get their own module's path written in instead.
 */
export const ownModulePaths = {
  name: 'own-module-paths',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * Bundles `entry` (its packages stay imports) into `cacheDir`, named by the content hash so an edited
 * tree never runs a stale bundle, and returns the file. `cacheDir` must sit where the packages resolve
 * from (inside the project's node_modules).
 */
export async function bundleCli(entry, cacheDir) {
  const esbuild = await import('esbuild');
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      write: false,
      logLevel: 'silent',
      plugins: [ownModulePaths],
    });
    const code = result.outputFiles[0].contents;
    const name = `cli-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
    const file = path.join(cacheDir, name);
    if (!fs.existsSync(file)) {
      fs.mkdirSync(cacheDir, { recursive: true });
      // Another `nexus` may be writing the same bundle: write aside, then rename into place.
      const partial = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(partial, code);
      fs.renameSync(partial, file);
      removeOtherBundles(cacheDir, name);
    }
    return file;
  } finally {
    esbuild.stop();
  }
}

/** Bundles of earlier sources are dead weight; a process still starting one has already loaded it. */
function removeOtherBundles(cacheDir, keep) {
  for (const name of fs.readdirSync(cacheDir)) {
    if (name !== keep && BUNDLE_NAME.test(name)) fs.rmSync(path.join(cacheDir, name), { force: true });
  }
}
