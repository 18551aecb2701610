#!/usr/bin/env node
// The installed `nexus` command. It runs the TypeScript CLI as one JavaScript bundle built by esbuild
// instead of through tsx's loader: on Node 20 a module loader runs on a thread of its own with its own
// heap (about 90 MB), and `nexus customers import` must stay under 300 MB on the embedded database
// (docs/performance.md). The bundle is rebuilt from the sources on every run (a fraction of a second)
// and stored under its content hash. If it cannot be built or stored (a read-only installation), the
// CLI runs through tsx as before.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleCli } from './cli-bundle.js';

const root = path.resolve(import.meta.dirname, '..');

let bundle;
try {
  // Inside node_modules, so the bundle's package imports resolve from the project's node_modules.
  bundle = await bundleCli(
    path.join(root, 'src', 'cli', 'index.ts'),
    path.join(root, 'node_modules', '.cache', 'nexus'),
  );
} catch (error) {
  process.stderr.write(`nexus: cannot build the CLI bundle (${error.message}); running through tsx\n`);
}
if (bundle) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/index.ts');
}
