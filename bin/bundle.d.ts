import type { Plugin } from 'esbuild';

export declare const ownModulePaths: Plugin;
/** Bundles `entry` into `cacheDir` as `<name>-<content hash>.mjs` and returns the bundle's path. */
export declare function bundleEntry(
  entry: string,
  cacheDir: string,
  options?: { name?: string; sourceMaps?: boolean },
): Promise<string>;
/** Runs `src/<entry>` from its bundle, or through tsx when no bundle can be made. */
export declare function runBundled(
  entry: string,
  options: { name: string; sourceMaps?: boolean },
): Promise<void>;
