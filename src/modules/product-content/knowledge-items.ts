import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import { isUuid, uuidv7 } from '../../lib/ids.ts';
import * as q from './queries.ts';

export interface Caller {
  businessId: number;
  userId: number | null;
}

/** Knowledge items hang off a product (product-level) or one of its variants (variant-level). */
export type KnowledgeOwnerRef = { kind: 'product'; id: number } | { kind: 'variant'; id: number };

export interface KnowledgeItemInput {
  q: string;
  a: string;
  position?: number | undefined;
}

export function toKnowledgeItem(row: q.KnowledgeItemRow) {
  return {
    id: row.id,
    product_id: row.product_id,
    variant_id: row.variant_id,
    q: row.q,
    a: row.a,
    position: row.position,
    inserted_at: row.inserted_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** The owner, only when it belongs to the caller's business; its product id either way. */
async function resolveOwner(db: Db, caller: Caller, ref: KnowledgeOwnerRef) {
  if (ref.kind === 'product') {
    const product = await q.findProduct(db, caller.businessId, ref.id);
    if (!product) throw errors.notFound('Product not found');
    return {
      owner: { kind: 'product', productId: product.id } as const,
      productId: product.id,
      variantId: null,
    };
  }
  const variant = await q.findVariant(db, caller.businessId, ref.id);
  if (!variant) throw errors.notFound('Variant not found');
  return {
    owner: { kind: 'variant', variantId: variant.id } as const,
    productId: variant.product_id,
    variantId: variant.id,
  };
}

async function requireItem(db: Db, caller: Caller, owner: q.KnowledgeOwner, id: string) {
  const row = isUuid(id) ? await q.findKnowledgeItem(db, caller.businessId, owner, id) : undefined;
  if (!row) throw errors.notFound('Knowledge item not found');
  return row;
}

export async function listKnowledgeItems(
  db: Db,
  cursors: CursorCodec,
  caller: Caller,
  ref: KnowledgeOwnerRef,
  page: PageParams,
) {
  const { owner } = await resolveOwner(db, caller, ref);
  return paginate({
    codec: cursors,
    scope: cursorScope(`knowledge-items:${ref.kind}`, { business: caller.businessId, owner: ref.id }),
    page,
    defaultPageSize: 25,
    fetch: (window) => q.listKnowledgeItems(db, caller.businessId, owner, window),
    keyOf: (row) => [row.id],
    map: toKnowledgeItem,
  });
}

export async function createKnowledgeItem(
  db: Db,
  caller: Caller,
  ref: KnowledgeOwnerRef,
  input: KnowledgeItemInput,
) {
  const { owner, productId, variantId } = await resolveOwner(db, caller, ref);
  const position = input.position ?? (await q.nextKnowledgePosition(db, caller.businessId, owner));
  const [row] = await q.insertKnowledgeItems(db, [
    {
      id: uuidv7(),
      business_id: caller.businessId,
      product_id: productId,
      variant_id: variantId,
      q: input.q,
      a: input.a,
      position,
    },
  ]);
  return toKnowledgeItem(row!);
}

export async function getKnowledgeItem(db: Db, caller: Caller, ref: KnowledgeOwnerRef, id: string) {
  const { owner } = await resolveOwner(db, caller, ref);
  return toKnowledgeItem(await requireItem(db, caller, owner, id));
}

/** `q` and `a` are required on update too (the contract shares one request schema); position keeps its value when absent. */
export async function updateKnowledgeItem(
  db: Db,
  caller: Caller,
  ref: KnowledgeOwnerRef,
  id: string,
  input: KnowledgeItemInput,
) {
  const { owner } = await resolveOwner(db, caller, ref);
  const item = await requireItem(db, caller, owner, id);
  const row = await q.updateKnowledgeItem(db, caller.businessId, item.id, {
    q: input.q,
    a: input.a,
    ...(input.position !== undefined ? { position: input.position } : {}),
  });
  return toKnowledgeItem(row);
}

export async function deleteKnowledgeItem(db: Db, caller: Caller, ref: KnowledgeOwnerRef, id: string) {
  const { owner } = await resolveOwner(db, caller, ref);
  const item = await requireItem(db, caller, owner, id);
  await q.deleteKnowledgeItem(db, caller.businessId, item.id);
}
