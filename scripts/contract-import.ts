/**
 * Regenerates contract/operations.json from the reference's routes.tsv:
 *   npx tsx scripts/contract-import.ts [path/to/routes.tsv]
 * The JSON is committed so the server and its tests never read outside the repository.
 */
import fs from 'node:fs';
import path from 'node:path';

const source = path.resolve(process.argv[2] ?? '../shared/spec/routes.tsv');
const lines = fs.readFileSync(source, 'utf8').trim().split('\n');
const header = lines.shift()?.split('\t') ?? [];
const expected = ['tag', 'operationId', 'method', 'path', 'auth', 'scopes', 'seed_line', 'summary'];
if (header.join() !== expected.join()) throw new Error(`Unexpected routes.tsv header: ${header.join(', ')}`);

const operations = lines.map((line) => {
  const [tag, operationId, method, urlPath, auth, scopes, , summary] = line.split('\t');
  return {
    tag,
    operationId,
    method,
    path: urlPath,
    auth: (auth ?? '').split(',').filter(Boolean),
    scopes: (scopes ?? '').split(',').filter(Boolean),
    summary,
  };
});
const target = path.resolve(import.meta.dirname, '../contract/operations.json');
fs.writeFileSync(target, `${JSON.stringify(operations, null, 1)}\n`);
console.log(`Wrote ${operations.length} operations to ${path.relative(process.cwd(), target)}`);
