import type { Db } from '../../db/database.ts';
import { formatCents, toCents } from '../../lib/money.ts';
import { parseRecordRef } from '../../lib/refs.ts';
import type { ConversionPlatform } from '../../providers/conversions/provider.ts';
import type { ItemRef, PreparedEvents, WireEvent } from './events.ts';
import { type CatalogItem, catalogItems } from './queries.ts';

interface Line {
  item: CatalogItem;
  quantity: number;
}

/** Resolves the items an event names against the catalog; names that match nothing are skipped. */
async function resolveLines(db: Db, businessId: number, items: PreparedEvents['items']): Promise<Line[]> {
  const variantRefs = items.variants.map((item) => ({ item, ref: parseRecordRef(item.ref, 'variant_') }));
  const optionRefs = items.bundle_price_options.map((item) => ({
    item,
    ref: parseRecordRef(item.ref, 'bpo_'),
  }));
  type Entry = (typeof variantRefs)[number];
  const ids = (refs: Entry[]) => refs.flatMap(({ ref }) => (ref && 'id' in ref ? [ref.id] : []));
  const uuids = (refs: Entry[]) => refs.flatMap(({ ref }) => (ref && 'uuid' in ref ? [ref.uuid] : []));
  const uniqueIds = (refs: Entry[]) =>
    refs.flatMap(({ ref }) => (ref && 'unique_id' in ref ? [ref.unique_id] : []));
  const found = await catalogItems(
    db,
    businessId,
    { ids: ids(variantRefs), uuids: uuids(variantRefs), uniqueIds: uniqueIds(variantRefs) },
    { ids: ids(optionRefs), uniqueIds: uniqueIds(optionRefs) },
  );
  const match = (
    kind: CatalogItem['kind'],
    entry: { item: ItemRef; ref: ReturnType<typeof parseRecordRef> },
  ) =>
    found.find(
      (candidate) =>
        candidate.kind === kind &&
        entry.ref !== null &&
        (('id' in entry.ref && candidate.id === entry.ref.id) ||
          ('uuid' in entry.ref && candidate.uuid === entry.ref.uuid) ||
          ('unique_id' in entry.ref && candidate.unique_id === entry.ref.unique_id)),
    );
  const lines: Line[] = [];
  for (const entry of variantRefs) {
    const item = match('variant', entry);
    if (item) lines.push({ item, quantity: entry.item.quantity });
  }
  for (const entry of optionRefs) {
    const item = match('bundle_price_option', entry);
    if (item) lines.push({ item, quantity: entry.item.quantity });
  }
  return lines;
}

/** What the catalog says about the items, in each platform's vocabulary. */
function itemFields(platform: ConversionPlatform, lines: Line[]): Record<string, unknown> {
  const total = lines.reduce((sum, line) => sum + toCents(line.item.price) * BigInt(line.quantity), 0n);
  // Platforms take the value as a JSON number; it is formatted from exact cents, never summed in floats.
  const value = Number(formatCents(total));
  const currency = lines[0]?.item.currency ?? 'IDR';
  if (platform === 'meta') {
    return {
      currency,
      value,
      content_type: 'product',
      content_ids: lines.map((line) => line.item.unique_id),
      contents: lines.map((line) => ({
        id: line.item.unique_id,
        quantity: line.quantity,
        item_price: Number(line.item.price),
      })),
      num_items: lines.reduce((sum, line) => sum + line.quantity, 0),
      ...(lines.length === 1 ? { content_name: lines[0]?.item.name } : {}),
    };
  }
  return {
    currency,
    value,
    content_type: 'product',
    contents: lines.map((line) => ({
      content_id: line.item.unique_id,
      content_name: line.item.name,
      quantity: line.quantity,
      price: Number(line.item.price),
    })),
    ...(platform === 'snackvideo' && lines.length === 1 ? { content_id: lines[0]?.item.unique_id } : {}),
  };
}

const DETAILS_FIELD: Record<ConversionPlatform, string> = {
  meta: 'custom_data',
  tiktok: 'properties',
  snackvideo: 'properties',
};

/**
 * Fills each event's item details (contents, value, currency) from the catalog where the event
 * leaves them out; what the storefront sent explicitly is kept.
 */
export async function withItemDetails(
  db: Db,
  businessId: number,
  platform: ConversionPlatform,
  events: WireEvent[],
  items: PreparedEvents['items'],
): Promise<WireEvent[]> {
  if (items.variants.length + items.bundle_price_options.length === 0) return events;
  const lines = await resolveLines(db, businessId, items);
  if (lines.length === 0) return events;
  const fields = itemFields(platform, lines);
  const key = DETAILS_FIELD[platform];
  return events.map((event) => ({
    ...event,
    [key]: { ...fields, ...((event[key] as Record<string, unknown> | undefined) ?? {}) },
  }));
}
