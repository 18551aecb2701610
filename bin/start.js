#!/usr/bin/env node
// `npm start`: the server (src/main.ts) as one bundle (bin/bundle.js says why), with source maps so
// logged stack traces name the src/ files.
import { runBundled } from './bundle.js';

await runBundled('main.ts', { name: 'server', sourceMaps: true });
