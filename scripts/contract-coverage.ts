/**
 * `npm run contract:coverage [-- --json]`: implemented / total operations per contract tag and the
 * operationIds still missing, from the route declarations the server registers. The missing ones
 * answer 501 `not_implemented` (src/http/unbuilt.ts); they do not count as implemented.
 */
import { CONTRACT } from '../contract/index.ts';
import { ALL_ROUTES } from '../src/modules/index.ts';

const implemented = new Set(ALL_ROUTES.map((route) => route.operationId));
const tags = new Map<string, { implemented: string[]; missing: string[] }>();
for (const operation of CONTRACT) {
  const entry = tags.get(operation.tag) ?? { implemented: [], missing: [] };
  (implemented.has(operation.operationId) ? entry.implemented : entry.missing).push(operation.operationId);
  tags.set(operation.tag, entry);
}
const total = CONTRACT.length;
const done = CONTRACT.filter((operation) => implemented.has(operation.operationId)).length;

if (process.argv.includes('--json')) {
  const byTag = Object.fromEntries(
    [...tags].map(([tag, entry]) => [
      tag,
      {
        implemented: entry.implemented.length,
        total: entry.implemented.length + entry.missing.length,
        missing: entry.missing,
      },
    ]),
  );
  process.stdout.write(`${JSON.stringify({ implemented: done, total, tags: byTag }, null, 2)}\n`);
} else {
  const width = Math.max(...[...tags.keys()].map((tag) => tag.length));
  const lines = [`Contract coverage: ${done} of ${total} operations implemented`, ''];
  for (const [tag, entry] of tags) {
    const count = entry.implemented.length;
    const all = count + entry.missing.length;
    lines.push(
      `${tag.padEnd(width)}  ${String(count).padStart(3)}/${String(all).padEnd(3)} ${count === all ? 'complete' : ''}`,
    );
  }
  lines.push('', 'Missing operations (each answers 501 not_implemented until it is built):');
  for (const [tag, entry] of tags) {
    if (entry.missing.length) lines.push(`  ${tag}: ${entry.missing.join(', ')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
