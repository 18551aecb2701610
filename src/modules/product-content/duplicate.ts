import { errors } from '../../http/errors.ts';
import { randomString, uuidv7 } from '../../lib/ids.ts';
import { type BundleDeps, getBundle } from '../bundles/service.ts';
import { copyVariantCourse } from '../courses/service.ts';
import { loadProduct, type ProductDeps } from '../products/service.ts';
import * as c from './copy-queries.ts';
import type { Caller } from './knowledge-items.ts';
import * as q from './queries.ts';

const COPY_SUFFIX = ' (Copy)';

/** `kaos` -> `kaos-copy`, or `kaos-copy-2`, ... when earlier copies hold those slugs. */
export function copySlug(slug: string, taken: ReadonlySet<string>): string {
  const base = `${slug}-copy`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Copies a product with its variants (new ids, uuids and unique_ids), their digital file records
 * (sharing the stored objects), the course structure of a course's variants, knowledge items and
 * follow-up chats, in one transaction. Partnership settings, store associations and stock are not
 * copied. Answers the copy exactly as getProduct does.
 */
export async function duplicateProduct(deps: ProductDeps, caller: Caller, productId: number) {
  const { businessId } = caller;
  const copyId = await deps.db.transaction().execute(async (trx) => {
    const product = await c.findProductRow(trx, businessId, productId);
    if (!product) throw errors.notFound('Product not found');
    const { id: _id, uuid: _uuid, created_at: _created, last_updated_at: _updated, ...fields } = product;

    const taken = new Set(await q.productSlugsLike(trx, businessId, `${product.slug}-copy`));
    const values = {
      ...fields,
      name: `${product.name}${COPY_SUFFIX}`,
      is_product_sharing: false,
      partnership_sales_letter: null,
      created_by_user_id: caller.userId,
      last_updated_by_user_id: caller.userId,
    };
    // A concurrent copy may take the slug between the read and the insert: fall back to a random one.
    const inserted =
      (await c.insertProduct(trx, { ...values, slug: copySlug(product.slug, taken) })) ??
      (await c.insertProduct(trx, {
        ...values,
        slug: `${product.slug}-copy-${randomString(6).toLowerCase()}`,
      }));
    if (!inserted) throw errors.conflict('Could not pick a free slug for the copy; try again');
    const copy = inserted.id;

    const variants = await c.listVariantRows(trx, businessId, product.id);
    const newUniqueIds = new Map(variants.map((variant) => [variant.id, `variant_${randomString(24)}`]));
    const created = await c.insertVariants(
      trx,
      variants.map(({ id, uuid: _v, unique_id: _u, created_at: _c, last_updated_at: _l, ...variant }) => ({
        ...variant,
        product_id: copy,
        unique_id: newUniqueIds.get(id)!,
      })),
    );
    const idByUniqueId = new Map(created.map((row) => [row.unique_id, row.id]));
    const variantMap = new Map(
      variants.map((variant) => [variant.id, idByUniqueId.get(newUniqueIds.get(variant.id)!)!]),
    );

    // Other item types have no course; checking each of their variants would only cost queries.
    if (product.item_type === 'course') {
      for (const [from, to] of variantMap) await copyVariantCourse(trx, businessId, from, to);
    }

    const files = await q.listFilesOfVariants(trx, businessId, [...variantMap.keys()]);
    await q.insertFiles(
      trx,
      files.map(({ id: _f, created_at: _c, ...file }) => ({
        ...file,
        product_id: copy,
        variant_id: variantMap.get(file.variant_id)!,
      })),
    );

    const items = await q.listAllKnowledgeItems(trx, businessId, product.id);
    await q.insertKnowledgeItems(
      trx,
      items.map(({ inserted_at: _i, updated_at: _u, ...item }) => ({
        ...item,
        id: uuidv7(),
        product_id: copy,
        variant_id: item.variant_id === null ? null : (variantMap.get(item.variant_id) ?? null),
      })),
    );

    const chats = await q.listAllChats(trx, businessId, { kind: 'product', id: product.id });
    await q.insertChats(
      trx,
      chats.map(({ id: _c, created_at: _a, updated_at: _b, ...chat }) => ({ ...chat, product_id: copy })),
    );
    return copy;
  });

  return loadProduct(deps, businessId, { id: copyId });
}

/**
 * Copies a bundle with its lines, its price options (new unique_ids and `-copy` slugs) and its
 * follow-up chats, in one transaction. Partnership settings and store placements are not copied;
 * the merchant's own `custom_id` is left empty on the copy so it stays an identifier. Answers the
 * copy exactly as getBundle does.
 */
export async function duplicateBundle(deps: BundleDeps, caller: Caller, bundleId: number) {
  const { businessId } = caller;
  const copyId = await deps.db.transaction().execute(async (trx) => {
    const bundle = await c.findBundleRow(trx, businessId, bundleId);
    if (!bundle) throw errors.notFound('Bundle not found');
    const { id: _id, created_at: _created, last_updated_at: _updated, ...fields } = bundle;
    const { id: copy } = await c.insertBundle(trx, {
      ...fields,
      name: `${bundle.name}${COPY_SUFFIX}`,
      custom_id: null,
      is_bundle_sharing: false,
      created_by_user_id: caller.userId,
      last_updated_by_user_id: caller.userId,
    });

    const lines = await c.listBundleLineRows(trx, businessId, bundle.id);
    await c.insertBundleLines(
      trx,
      lines.map(({ id: _l, ...line }) => ({ ...line, bundle_id: copy })),
    );

    const options = await c.listPriceOptionRows(trx, businessId, bundle.id);
    const taken = new Set(
      await q.bundlePriceOptionSlugsLike(
        trx,
        businessId,
        options.map((option) => `${option.slug}-copy`),
      ),
    );
    const rows = options.map(({ id: _o, created_at: _c, last_updated_at: _u, ...option }) => {
      const slug = copySlug(option.slug, taken);
      taken.add(slug);
      return { ...option, bundle_id: copy, unique_id: `bpo_${randomString(24)}`, slug };
    });
    const inserted = await c.insertPriceOptions(trx, rows);
    if (inserted.length !== rows.length) {
      throw errors.conflict('A price option slug was taken while copying; try again');
    }

    const chats = await q.listAllChats(trx, businessId, { kind: 'bundle', id: bundle.id });
    await q.insertChats(
      trx,
      chats.map(({ id: _c, created_at: _a, updated_at: _b, ...chat }) => ({ ...chat, bundle_id: copy })),
    );
    return copy;
  });

  return getBundle(deps, caller, copyId);
}
