import type { Db } from '../../db/database.ts';
import * as q from './queries.ts';

/**
 * What still needs a variant, so that it cannot be removed (alone by updateProduct, or with its
 * product by deleteProduct). Each check returns one human-readable reason per thing in the way.
 * Orders do not exist yet: when they do, the orders area appends its check to
 * `variantRemovalBlockers` (e.g. "order 250130JQHFZG holds variant 12") and both routes honour it.
 */
export type VariantRemovalBlocker = (
  db: Db,
  businessId: number,
  variantIds: readonly number[],
) => Promise<string[]>;

/** Bundles are built from variants; a bundle line would be left pointing at nothing. */
const bundlesHoldingVariants: VariantRemovalBlocker = async (db, businessId, variantIds) => {
  const byBundle = new Map<number, { name: string; variantIds: number[] }>();
  for (const line of await q.bundleLinesOfVariants(db, businessId, variantIds)) {
    const entry = byBundle.get(line.bundle_id) ?? { name: line.bundle_name, variantIds: [] };
    entry.variantIds.push(line.variant_id);
    byBundle.set(line.bundle_id, entry);
  }
  return [...byBundle].map(
    ([id, bundle]) =>
      `bundle "${bundle.name}" (id ${id}) contains variant ${bundle.variantIds.join(', ')}; remove it from the bundle first`,
  );
};

/** Deleting a variant would silently take away what buyers paid for (course, files, membership). */
const customersWithAccess: VariantRemovalBlocker = async (db, businessId, variantIds) =>
  (await q.accessCountsOfVariants(db, businessId, variantIds)).map(
    (row) => `${row.customers} customer(s) still have access to variant ${row.variant_id}`,
  );

export const variantRemovalBlockers: VariantRemovalBlocker[] = [bundlesHoldingVariants, customersWithAccess];

export async function findVariantBlockers(
  db: Db,
  businessId: number,
  variantIds: readonly number[],
): Promise<string[]> {
  if (variantIds.length === 0) return [];
  // One after another: inside a transaction the checks share a single connection anyway.
  const reasons: string[] = [];
  for (const check of variantRemovalBlockers) reasons.push(...(await check(db, businessId, variantIds)));
  return reasons;
}
