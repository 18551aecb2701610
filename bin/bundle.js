// Runs a TypeScript entry point of src/ (the CLI, the server) as one JavaScript bundle built by esbuild
// instead of through tsx's loader: on Node 20 a module loader runs on a thread of its own with its own
// heap (about 90 MB), and `nexus customers import` must stay under 300 MB on the embedded database
// (docs/performance.md). The bundle is rebuilt from the sources on every start (a fraction of a
// second) and stored under its content hash. If it cannot be built or stored (a read-only
// installation), the entry runs through tsx as before.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');
// Inside node_modules, so a bundle's package imports resolve from the project's node_modules.
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'nexus');

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
 * Bundles `entry` (its packages stay imports) into `cacheDir` as `<name>-<content hash>.mjs`, so an
 * edited tree never runs a stale bundle, and returns the file. `cacheDir` must sit where the packages
 * resolve from (inside the project's node_modules). `sourceMaps` embeds a map of the sources, for
 * stack traces that name `src/` files when the process enables source maps.
 */
export async function bundleEntry(entry, cacheDir, { name = 'cli', sourceMaps = false } = {}) {
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
      // Not written there: it places the map's source paths relative to the bundle's directory.
      outfile: path.join(cacheDir, `${name}.mjs`),
      logLevel: 'silent',
      plugins: [ownModulePaths],
      // Positions only: with the sources' text in it, the map Node keeps for the process's lifetime
      // cost the server ~70 MB resident (docs/performance.md, "Process memory").
      ...(sourceMaps ? { sourcemap: 'inline', sourcesContent: false } : {}),
    });
    const code = result.outputFiles[0].contents;
    const file = path.join(
      cacheDir,
      `${name}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`,
    );
    if (!fs.existsSync(file)) {
      fs.mkdirSync(cacheDir, { recursive: true });
      // Another `nexus` may be writing the same bundle: write aside, then rename into place.
      const partial = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(partial, code);
      fs.renameSync(partial, file);
      removeOtherBundles(cacheDir, name, path.basename(file));
    }
    return file;
  } finally {
    esbuild.stop();
  }
}

/** Bundles of earlier sources are dead weight; a process still starting one has already loaded it. */
function removeOtherBundles(cacheDir, name, keep) {
  const earlier = new RegExp(`^${name}-[0-9a-f]{16}\\.mjs$`);
  for (const file of fs.readdirSync(cacheDir)) {
    if (file !== keep && earlier.test(file)) fs.rmSync(path.join(cacheDir, file), { force: true });
  }
}

/**
 * Runs `src/<entry>` from its bundle (named `name`), or through tsx when no bundle can be made.
 * With `sourceMaps`, stack traces name the `src/` files and lines.
 */
export async function runBundled(entry, { name, sourceMaps = false }) {
  const source = path.join(ROOT, 'src', entry);
  let bundle;
  try {
    bundle = await bundleEntry(source, CACHE_DIR, { name, sourceMaps });
  } catch (error) {
    process.stderr.write(`nexus: cannot build the ${name} bundle (${error.message}); running through tsx\n`);
  }
  if (sourceMaps) process.setSourceMapsEnabled(true);
  if (bundle) {
    await import(pathToFileURL(bundle).href);
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
}
