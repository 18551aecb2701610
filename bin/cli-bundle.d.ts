import type { Plugin } from 'esbuild';

export declare const ownModulePaths: Plugin;
/** Bundles `entry` into `cacheDir` under its content hash and returns the bundle's path. */
export declare function bundleCli(entry: string, cacheDir: string): Promise<string>;
