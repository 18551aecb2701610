import fs from 'node:fs';
import path from 'node:path';

/** Google's category tree never goes deeper than the contract's level_1..level_7. */
export const MAX_TAXONOMY_LEVEL = 7;
const SEPARATOR = ' > ';

export const TAXONOMY_FILE = path.join(import.meta.dirname, 'reference', 'google-product-taxonomy.tsv');

export interface TaxonomyRow {
  id: number;
  parent_id: number | null;
  name: string;
  full_path: string;
  level: number;
  level_1: string;
  level_2: string | null;
  level_3: string | null;
  level_4: string | null;
  level_5: string | null;
  level_6: string | null;
  level_7: string | null;
}

/**
 * Parses `id<TAB>full_path` lines into rows with parent ids and level columns. Parents come
 * before their children in the result, so rows can be inserted in order under the foreign key.
 * Throws on anything malformed: a migration must not load half a tree.
 */
export function parseTaxonomy(text: string): TaxonomyRow[] {
  const idByPath = new Map<string, number>();
  const rows: TaxonomyRow[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (index === 0 || line.trim() === '') continue;
    const [idText, fullPath, extra] = line.split('\t');
    const id = Number(idText);
    if (!Number.isSafeInteger(id) || id <= 0 || !fullPath || extra !== undefined) {
      throw new Error(`Malformed taxonomy line ${index + 1}: ${line}`);
    }
    const levels = fullPath.split(SEPARATOR);
    if (levels.length > MAX_TAXONOMY_LEVEL || levels.some((name) => name.trim() === '')) {
      throw new Error(`Taxonomy line ${index + 1} has an invalid path: ${fullPath}`);
    }
    const parentPath = levels.slice(0, -1).join(SEPARATOR);
    const parentId = levels.length > 1 ? idByPath.get(parentPath) : null;
    if (parentId === undefined) throw new Error(`Taxonomy line ${index + 1} comes before its parent`);
    if (idByPath.has(fullPath)) throw new Error(`Taxonomy path repeated: ${fullPath}`);
    idByPath.set(fullPath, id);
    const level = (n: number) => levels[n - 1] ?? null;
    rows.push({
      id,
      parent_id: parentId,
      name: levels[levels.length - 1] as string,
      full_path: fullPath,
      level: levels.length,
      level_1: levels[0] as string,
      level_2: level(2),
      level_3: level(3),
      level_4: level(4),
      level_5: level(5),
      level_6: level(6),
      level_7: level(7),
    });
  }
  return rows;
}

export function readTaxonomyFile(file: string = TAXONOMY_FILE): TaxonomyRow[] {
  return parseTaxonomy(fs.readFileSync(file, 'utf8'));
}
