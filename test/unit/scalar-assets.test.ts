import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SCALAR_DIR, scalarManifest, staticImportsOf } from '../../src/docs/scalar-assets.ts';

/** The shipped copy of Scalar that `/docs` serves (`npm run docs:scalar` makes it). */
describe('the shipped Scalar build', () => {
  const manifest = scalarManifest();
  const source = (file: string) =>
    zlib.brotliDecompressSync(fs.readFileSync(path.join(SCALAR_DIR, `${file}.br`))).toString();

  it('is one release of @scalar/api-reference, with its licence', () => {
    expect(manifest.package).toBe('@scalar/api-reference');
    expect(source(manifest.entry)).toContain(`@scalar/api-reference ${manifest.version}`);
    expect(fs.readFileSync(path.join(SCALAR_DIR, 'LICENSE'), 'utf8')).toContain('MIT License');
  });

  it('holds exactly the files its manifest lists, and every module one of them imports', () => {
    const stored = fs
      .readdirSync(SCALAR_DIR, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.br'))
      .map((name) => name.slice(0, -'.br'.length).split(path.sep).join('/'));
    expect(stored.sort()).toEqual([...manifest.files].sort());
    for (const file of manifest.files) {
      const text = source(file);
      for (const specifier of [
        ...staticImportsOf(text),
        ...text.matchAll(/import\(["'](\.\/[^"']+)["']\)/g),
      ].map((found) => (typeof found === 'string' ? found : found[1]!))) {
        expect(manifest.files, `${file} imports ${specifier}`).toContain(
          path.posix.join(path.posix.dirname(file), specifier),
        );
      }
    }
  });

  it('preloads the entry module graph: what the page needs before it can render', () => {
    const closure = new Set<string>();
    const visit = (file: string) => {
      for (const specifier of staticImportsOf(source(file))) {
        const target = path.posix.join(path.posix.dirname(file), specifier);
        if (!closure.has(target)) {
          closure.add(target);
          visit(target);
        }
      }
    };
    visit(manifest.entry);
    expect(new Set(manifest.preload)).toEqual(closure);
    expect(closure.size).toBeLessThan(manifest.files.length / 2);
  });
});
