import type { Static } from '@sinclair/typebox';
import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/errors.ts';
import type { ItemType, ProductsTable, VariantsTable } from '../../db/schema.ts';
import { errors, type FieldErrors } from '../../http/errors.ts';
import { randomString } from '../../lib/ids.ts';
import { beforeTax, normalizeMoney } from '../../lib/money.ts';
import { removeUnreferencedObjects, storageKeysOfVariants } from '../product-content/digital-files.ts';
import { findVariantBlockers } from './blockers.ts';
import * as q from './queries.ts';
import type * as schemas from './schemas.ts';
import { type Caller, loadProduct, type ProductDeps, parseProductKey, productNotFound } from './service.ts';
import { nextFreeSlug, slugify } from './slug.ts';
import {
  checkOptionNames,
  checkVariants,
  cleanText,
  type OptionNames,
  type VariantState,
} from './variant-rules.ts';

type CreateBody = Static<typeof schemas.CreateProductRequest>;
type UpdateBody = Static<typeof schemas.UpdateProductRequest>;
type VariantInput = NonNullable<CreateBody['variants']>[number];
type UpdateVariantInput = NonNullable<UpdateBody['variants']>[number];
type ProductBody = Omit<CreateBody, 'variants'>;

const newVariantUniqueId = () => `variant_${randomString(24)}`;

/** A jsonb value sent as its JSON text, which pg and PGlite both cast to the column type. */
const jsonb = (value: Record<string, unknown>) => JSON.stringify(value);

const isSlugConflict = (error: unknown) => isUniqueViolation(error, 'slug');

const slugTaken = () => errors.invalidField('slug', 'is already used by another product of this business');

/** Another table still points at a variant we tried to remove (a check we do not know of yet). */
function referencedError(error: unknown) {
  return isForeignKeyViolation(error)
    ? errors.conflict('A variant of this product is still used elsewhere and cannot be removed')
    : error;
}

function labelNames(labels: NonNullable<ProductBody['labels']>): string[] {
  const names = labels.map((label) => (typeof label === 'string' ? label : label.name).trim());
  return [...new Set(names.filter(Boolean))];
}

/** The product columns a body sets; fields left out of the body are left out here too. */
function productColumns(body: ProductBody, fieldErrors: FieldErrors): Updateable<ProductsTable> {
  const name = body.name.trim();
  if (!name) fieldErrors.name = ['must not be blank'];
  const columns: Updateable<ProductsTable> = { name, item_type: body.item_type };
  const text = (value: string | null | undefined) => (value === undefined ? undefined : cleanText(value));
  const set = <K extends keyof Updateable<ProductsTable>>(
    key: K,
    value: Updateable<ProductsTable>[K] | undefined,
  ) => {
    if (value !== undefined) columns[key] = value;
  };
  set('public_name', text(body.public_name));
  set('description', text(body.description));
  set('rich_description', text(body.rich_description));
  set('option1_name', text(body.option1_name));
  set('option2_name', text(body.option2_name));
  set('option3_name', text(body.option3_name));
  set('partnership_sales_letter', text(body.partnership_sales_letter));
  set('meta_thumbnail', body.meta_thumbnail);
  set('taxonomy_id', body.taxonomy_id);
  set('is_inventory', body.is_inventory);
  set('is_multiple', body.is_multiple);
  set('is_product_sharing', body.is_product_sharing);
  set('images', body.images);
  set('labels', body.labels && labelNames(body.labels));
  return columns;
}

async function checkTaxonomy(db: Db, taxonomyId: number | null | undefined, fieldErrors: FieldErrors) {
  if (taxonomyId != null && !(await q.taxonomyExists(db, taxonomyId))) {
    fieldErrors.taxonomy_id = ['is not a known product taxonomy'];
  }
}

/** Every money column of a variant from its tax-inclusive amounts and the business's tax rate. */
function moneyColumns(
  amounts: { price: string | number; cogs: string | number; reseller_price: string | number },
  taxRate: string,
) {
  const price = normalizeMoney(amounts.price);
  const cogs = normalizeMoney(amounts.cogs);
  const reseller = normalizeMoney(amounts.reseller_price);
  return {
    price,
    price_bt: beforeTax(price, taxRate),
    cogs,
    cogs_bt: beforeTax(cogs, taxRate),
    reseller_price: reseller,
    reseller_price_bt: beforeTax(reseller, taxRate),
  };
}

/** The variant columns an input sets over `current` (a stored variant, or nothing for a new one). */
function variantColumns(
  input: VariantInput,
  current: q.StoredVariant | undefined,
  itemType: ItemType,
  taxRate: string,
): Updateable<VariantsTable> & VariantStateColumns {
  const keep = <T>(value: T | undefined, stored: T, fallback: T): T =>
    value !== undefined ? value : current ? stored : fallback;
  const pricingType = keep(
    input.pricing_type,
    current?.pricing_type ?? 'one_time',
    itemType === 'subscription' ? 'recurring' : 'one_time',
  );
  const option = (value: string | null | undefined, stored: string | null | undefined) =>
    value === undefined ? (stored ?? null) : cleanText(value);
  return {
    ...moneyColumns(
      {
        price: input.price,
        cogs: input.cogs ?? current?.cogs ?? '0',
        reseller_price: input.reseller_price ?? current?.reseller_price ?? '0',
      },
      taxRate,
    ),
    weight: input.weight,
    option1_value: option(input.option1_value, current?.option1_value),
    option2_value: option(input.option2_value, current?.option2_value),
    option3_value: option(input.option3_value, current?.option3_value),
    sku: input.sku === undefined ? (current?.sku ?? null) : cleanText(input.sku),
    description:
      input.description === undefined ? (current?.description ?? null) : cleanText(input.description),
    rich_description:
      input.rich_description === undefined
        ? (current?.rich_description ?? null)
        : cleanText(input.rich_description),
    images: input.images ?? current?.images ?? [],
    self_file_urls: input.self_file_urls ?? current?.self_file_urls ?? [],
    is_checked: input.is_checked ?? current?.is_checked ?? true,
    metadata: jsonb(input.metadata ?? current?.metadata ?? {}),
    pricing_type: pricingType,
    interval: keep(input.interval, current?.interval ?? null, null),
    interval_count: keep(input.interval_count, current?.interval_count ?? null, null),
    validity_period: keep(input.validity_period, current?.validity_period ?? null, null),
    validity_period_unit: keep(input.validity_period_unit, current?.validity_period_unit ?? null, null),
    last_updated_at: new Date(),
  };
}

type VariantStateColumns = Pick<
  VariantState,
  'pricing_type' | 'interval' | 'interval_count' | 'validity_period' | 'validity_period_unit'
> & { option1_value: string | null; option2_value: string | null; option3_value: string | null };

function stateOf(index: number | null, id: number | null, c: VariantStateColumns): VariantState {
  return {
    index,
    id,
    option_values: [c.option1_value, c.option2_value, c.option3_value],
    pricing_type: c.pricing_type,
    interval: c.interval,
    interval_count: c.interval_count,
    validity_period: c.validity_period,
    validity_period_unit: c.validity_period_unit,
  };
}

function optionNamesOf(columns: Updateable<ProductsTable>, current?: OptionNames): OptionNames {
  const pick = (value: string | null | undefined, i: number) =>
    value === undefined ? (current?.[i] ?? null) : value;
  return [pick(columns.option1_name, 0), pick(columns.option2_name, 1), pick(columns.option3_name, 2)];
}

function throwIfInvalid(fieldErrors: FieldErrors) {
  if (Object.keys(fieldErrors).length > 0) throw errors.validation(fieldErrors);
}

/**
 * The one variant of a product created without `variants` (the reference requires only `name` and
 * `item_type`). The product body has no price, SKU or weight to give it, so it starts at price 0
 * and weight 0 without options, for the merchant to price before selling; a subscription item
 * must be recurring, so it renews monthly.
 */
function defaultVariant(itemType: ItemType): VariantInput {
  return itemType === 'subscription'
    ? { price: 0, weight: 0, pricing_type: 'recurring', interval: 'month', interval_count: 1 }
    : { price: 0, weight: 0 };
}

async function insertProductTx(trx: Db, caller: Caller, body: CreateBody): Promise<number> {
  const business = await q.findBusiness(trx, caller.businessId);
  const fieldErrors: FieldErrors = {};
  const columns = productColumns(body, fieldErrors);
  await checkTaxonomy(trx, body.taxonomy_id, fieldErrors);
  let slug = body.slug;
  if (slug !== undefined && (await q.findProductBySlug(trx, caller.businessId, slug))) {
    fieldErrors.slug = ['is already used by another product of this business'];
  }
  const optionNames = optionNamesOf(columns);
  const variants = (body.variants ?? [defaultVariant(body.item_type)]).map((input) =>
    variantColumns(input, undefined, body.item_type, business.tax_rate),
  );
  if (body.variants === undefined && optionNames.some((name) => name !== null)) {
    // A default variant has no option values to give: the merchant must list the combinations.
    checkOptionNames(optionNames, fieldErrors);
    fieldErrors.variants = ['are required when the product names options (each gives its option values)'];
  } else {
    Object.assign(
      fieldErrors,
      checkVariants(
        { itemType: body.item_type, optionNames },
        variants.map((v, index) => stateOf(index, null, v)),
      ),
    );
  }
  throwIfInvalid(fieldErrors);
  if (slug === undefined) {
    const base = slugify(columns.name as string);
    slug = nextFreeSlug(base, await q.slugsLike(trx, caller.businessId, base));
  }
  const productId = await q.insertProduct(trx, {
    ...(columns as Insertable<ProductsTable>),
    business_id: caller.businessId,
    slug,
    // A product with named options is one the merchant sells in several variants.
    is_multiple: columns.is_multiple ?? columns.option1_name != null,
    created_by_user_id: caller.userId,
    last_updated_by_user_id: caller.userId,
  });
  await q.insertVariants(
    trx,
    variants.map((v, position) => ({
      ...(v as Insertable<VariantsTable>),
      business_id: caller.businessId,
      product_id: productId,
      unique_id: newVariantUniqueId(),
      position,
    })),
  );
  return productId;
}

export async function createProduct(deps: ProductDeps, caller: Caller, body: CreateBody) {
  for (let attempt = 1; ; attempt++) {
    try {
      const id = await deps.db.transaction().execute((trx) => insertProductTx(trx, caller, body));
      return await loadProduct(deps, caller.businessId, { id });
    } catch (error) {
      if (!isSlugConflict(error)) throw error;
      // A generated slug raced with a product created at the same moment: pick the next one.
      if (body.slug === undefined && attempt < 3) continue;
      throw slugTaken();
    }
  }
}

interface VariantPlan {
  updates: Array<{ id: number; columns: Updateable<VariantsTable> }>;
  inserts: Array<Updateable<VariantsTable>>;
  removals: number[];
  states: VariantState[];
}

/** Matches request variants to stored ones: id -> update, no id -> create, left out -> remove. */
function planVariants(
  inputs: UpdateVariantInput[] | undefined,
  stored: q.StoredVariant[],
  itemType: ItemType,
  taxRate: string,
  fieldErrors: FieldErrors,
): VariantPlan {
  if (inputs === undefined) {
    // Variants untouched: still check them against the product's new options and item type.
    return { updates: [], inserts: [], removals: [], states: stored.map((v) => stateOf(null, v.id, v)) };
  }
  const byId = new Map(stored.map((v) => [v.id, v]));
  const plan: VariantPlan = { updates: [], inserts: [], removals: [], states: [] };
  const listed = new Set<number>();
  const kept = new Set<number>();
  for (const [index, input] of inputs.entries()) {
    const id = input.id ?? input.variant_id;
    if (input.id !== undefined && input.variant_id !== undefined && input.id !== input.variant_id) {
      fieldErrors[`variants.${index}.id`] = ['does not match variant_id'];
      continue;
    }
    if (id === undefined) {
      if (input.is_deleted) continue;
      const columns = variantColumns(input, undefined, itemType, taxRate);
      plan.inserts.push({ ...columns, position: index });
      plan.states.push(stateOf(index, null, columns));
      continue;
    }
    const current = byId.get(id);
    if (!current) {
      fieldErrors[`variants.${index}.id`] = ['is not a variant of this product'];
      continue;
    }
    if (listed.has(id)) {
      fieldErrors[`variants.${index}.id`] = ['is listed more than once'];
      continue;
    }
    listed.add(id);
    if (input.is_deleted) continue;
    kept.add(id);
    const columns = variantColumns(input, current, itemType, taxRate);
    plan.updates.push({ id, columns: { ...columns, position: index } });
    plan.states.push(stateOf(index, id, columns));
  }
  // Left out of the list or marked is_deleted: either way the merchant no longer sells it.
  plan.removals = stored.filter((v) => !kept.has(v.id)).map((v) => v.id);
  return plan;
}

/**
 * Removing a variant removes its digital file records (foreign keys cascade); the stored objects
 * go after the commit, unless a duplicated product's record still points at them. A storage
 * failure is reported through `onStorageError` and leaves an orphan object, never a failed write.
 */
export interface WriteDeps extends ProductDeps {
  onStorageError: (error: unknown) => void;
}

export async function updateProduct(deps: WriteDeps, caller: Caller, idText: string, body: UpdateBody) {
  const key = parseProductKey(idText);
  if (!key) throw productNotFound();
  let removedKeys: string[] = [];
  try {
    await deps.db.transaction().execute(async (trx) => {
      const product = await q.lockProduct(trx, caller.businessId, key);
      if (!product) throw productNotFound();
      const business = await q.findBusiness(trx, caller.businessId);
      const fieldErrors: FieldErrors = {};
      const columns = productColumns(body, fieldErrors);
      await checkTaxonomy(trx, body.taxonomy_id, fieldErrors);
      if (body.slug !== undefined && body.slug !== product.slug) {
        const other = await q.findProductBySlug(trx, caller.businessId, body.slug);
        if (other && other.id !== product.id)
          fieldErrors.slug = ['is already used by another product of this business'];
        columns.slug = body.slug;
      }
      const stored = await q.variantsOfProduct(trx, product.id);
      const plan = planVariants(body.variants, stored, body.item_type, business.tax_rate, fieldErrors);
      const current: OptionNames = [product.option1_name, product.option2_name, product.option3_name];
      Object.assign(
        fieldErrors,
        checkVariants(
          { itemType: body.item_type, optionNames: optionNamesOf(columns, current) },
          plan.states,
        ),
      );
      throwIfInvalid(fieldErrors);

      const blockers = await findVariantBlockers(trx, caller.businessId, plan.removals);
      if (blockers.length) throw errors.blocked('These variants cannot be removed', blockers);

      await q.updateProduct(trx, caller.businessId, product.id, {
        ...columns,
        last_updated_by_user_id: caller.userId,
        last_updated_at: new Date(),
      });
      removedKeys = await storageKeysOfVariants(trx, caller.businessId, plan.removals);
      await q.deleteVariants(trx, product.id, plan.removals);
      for (const update of plan.updates) await q.updateVariant(trx, product.id, update.id, update.columns);
      await q.insertVariants(
        trx,
        plan.inserts.map((columns) => ({
          ...(columns as Insertable<VariantsTable>),
          business_id: caller.businessId,
          product_id: product.id,
          unique_id: newVariantUniqueId(),
        })),
      );
    });
  } catch (error) {
    if (isSlugConflict(error)) throw slugTaken();
    throw referencedError(error);
  }
  await removeUnreferencedObjects(deps.db, deps.storage, removedKeys, deps.onStorageError);
  return loadProduct(deps, caller.businessId, key);
}

/**
 * Deletes the product with everything that belongs to it (foreign keys cascade): variants, stock
 * records, store links, knowledge items, follow-up chats, course structure, customer access and
 * digital file records; the stored file objects are removed after the commit.
 */
export async function deleteProduct(deps: WriteDeps, caller: Caller, idText: string): Promise<void> {
  const key = parseProductKey(idText);
  if (!key) throw productNotFound();
  let removedKeys: string[] = [];
  try {
    await deps.db.transaction().execute(async (trx) => {
      const product = await q.lockProduct(trx, caller.businessId, key);
      if (!product) throw productNotFound();
      const variantIds = (await q.variantsOfProduct(trx, product.id)).map((v) => v.id);
      const blockers = await findVariantBlockers(trx, caller.businessId, variantIds);
      if (blockers.length) throw errors.blocked(`Product "${product.name}" cannot be deleted`, blockers);
      removedKeys = await storageKeysOfVariants(trx, caller.businessId, variantIds);
      await q.deleteProduct(trx, caller.businessId, product.id);
    });
  } catch (error) {
    throw referencedError(error);
  }
  await removeUnreferencedObjects(deps.db, deps.storage, removedKeys, deps.onStorageError);
}
