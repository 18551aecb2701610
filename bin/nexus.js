#!/usr/bin/env node
// The installed `nexus` command: src/cli as one bundle (bin/bundle.js says why).
import { runBundled } from './bundle.js';

await runBundled('cli/index.ts', { name: 'cli' });
