import type { Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import { generateFollowUpChats, type OfferFacts } from './follow-up-generator.ts';
import type { Caller } from './knowledge-items.ts';
import * as q from './queries.ts';
import type { FollowUpChatsTable } from './tables.ts';
import { formatRupiah } from './template.ts';

/** One implementation for product and bundle chats: the owner kind picks the column and the 404. */
export type ChatOwner = q.ChatOwner;

export interface FollowUpChatInput {
  name: string;
  provider: string;
  trigger?: string | null | undefined;
  hours_after?: number | null | undefined;
  change_status?: boolean | undefined;
  image?: string | null | undefined;
  is_default?: boolean | undefined;
  text_for_bank_transfer?: string | null | undefined;
  text_for_cod?: string | null | undefined;
  text_for_epayment?: string | null | undefined;
  wa_gateway_assignation_type?: string | null | undefined;
  wa_integration_id?: number | null | undefined;
}

const OPTIONAL_FIELDS = [
  'trigger',
  'hours_after',
  'change_status',
  'image',
  'is_default',
  'text_for_bank_transfer',
  'text_for_cod',
  'text_for_epayment',
  'wa_gateway_assignation_type',
  'wa_integration_id',
] as const;

/** The follow-up chat templates of an order's products and bundles, as stored. */
export function followUpChatsOfOffers(
  db: Db,
  businessId: number,
  offers: { productIds: number[]; bundleIds: number[] },
) {
  return q.listChatsOfOffers(db, businessId, offers.productIds, offers.bundleIds);
}
export type OfferChat = q.FollowUpChatRow;

export function toFollowUpChat(row: q.FollowUpChatRow) {
  return {
    id: row.id,
    product_id: row.product_id,
    bundle_id: row.bundle_id,
    // Templates are not tied to a store here; the field is kept for clients that read it.
    store_id: null,
    name: row.name,
    provider: row.provider,
    trigger: row.trigger,
    hours_after: row.hours_after,
    change_status: row.change_status,
    image: row.image,
    is_default: row.is_default,
    text_for_bank_transfer: row.text_for_bank_transfer,
    text_for_cod: row.text_for_cod,
    text_for_epayment: row.text_for_epayment,
    wa_gateway_assignation_type: row.wa_gateway_assignation_type,
    // WhatsApp integrations are not stored yet: only the id the merchant chose is known.
    wa_integration:
      row.wa_integration_id === null
        ? null
        : { id: row.wa_integration_id, name: null, phone_number: null, provider: null },
  };
}

async function requireOwner(db: Db, caller: Caller, owner: ChatOwner) {
  if (owner.kind === 'product') {
    const product = await q.findProduct(db, caller.businessId, owner.id);
    if (!product) throw errors.notFound('Product not found');
    return product;
  }
  const bundle = await q.findBundle(db, caller.businessId, owner.id);
  if (!bundle) throw errors.notFound('Bundle not found');
  return bundle;
}

async function requireChat(db: Db, caller: Caller, owner: ChatOwner, id: number) {
  const row = await q.findChat(db, caller.businessId, owner, id);
  if (!row) throw errors.notFound('Follow-up chat not found');
  return row;
}

/** Only the fields the request carries: PATCH leaves the others as they are. */
function changes(input: FollowUpChatInput): Updateable<FollowUpChatsTable> {
  const values: Updateable<FollowUpChatsTable> = { name: input.name, provider: input.provider };
  for (const field of OPTIONAL_FIELDS) {
    if (input[field] !== undefined) Object.assign(values, { [field]: input[field] });
  }
  return values;
}

export async function listFollowUpChats(
  db: Db,
  cursors: CursorCodec,
  caller: Caller,
  owner: ChatOwner,
  page: PageParams,
) {
  await requireOwner(db, caller, owner);
  return paginate({
    codec: cursors,
    scope: cursorScope(`follow-up-chats:${owner.kind}`, { business: caller.businessId, owner: owner.id }),
    page,
    defaultPageSize: 25,
    fetch: (window) => q.listChats(db, caller.businessId, owner, window),
    keyOf: (row) => [row.id],
    map: toFollowUpChat,
  });
}

export async function getFollowUpChat(db: Db, caller: Caller, owner: ChatOwner, id: number) {
  await requireOwner(db, caller, owner);
  return toFollowUpChat(await requireChat(db, caller, owner, id));
}

export async function createFollowUpChat(db: Db, caller: Caller, owner: ChatOwner, input: FollowUpChatInput) {
  return db.transaction().execute(async (trx) => {
    await requireOwner(trx, caller, owner);
    if (input.is_default) {
      await q.lockChatOwner(trx, owner);
      await q.clearDefaultChats(trx, caller.businessId, owner);
    }
    const [row] = await q.insertChats(trx, [
      {
        business_id: caller.businessId,
        product_id: owner.kind === 'product' ? owner.id : null,
        bundle_id: owner.kind === 'bundle' ? owner.id : null,
        ...changes(input),
      } as q.NewChat,
    ]);
    return toFollowUpChat(row!);
  });
}

export async function updateFollowUpChat(
  db: Db,
  caller: Caller,
  owner: ChatOwner,
  id: number,
  input: FollowUpChatInput,
) {
  return db.transaction().execute(async (trx) => {
    await requireOwner(trx, caller, owner);
    const chat = await requireChat(trx, caller, owner, id);
    if (input.is_default) {
      await q.lockChatOwner(trx, owner);
      await q.clearDefaultChats(trx, caller.businessId, owner, chat.id);
    }
    return toFollowUpChat(await q.updateChat(trx, caller.businessId, chat.id, changes(input)));
  });
}

export async function deleteFollowUpChat(db: Db, caller: Caller, owner: ChatOwner, id: number) {
  await requireOwner(db, caller, owner);
  const chat = await requireChat(db, caller, owner, id);
  await q.deleteChat(db, caller.businessId, chat.id);
}

const optionName = (row: {
  option1_value: string | null;
  option2_value: string | null;
  option3_value: string | null;
}) => [row.option1_value, row.option2_value, row.option3_value].filter((value) => value).join(' / ');

/** The product's or bundle's sales facts: names, prices and choices, as a buyer sees them. */
async function offerFacts(db: Db, caller: Caller, owner: ChatOwner): Promise<OfferFacts> {
  const record = await requireOwner(db, caller, owner);
  const name = record.public_name?.trim() || record.name;
  if (owner.kind === 'product') {
    const variants = await q.listOfferVariants(db, caller.businessId, owner.id);
    const named = variants.filter((variant) => optionName(variant));
    return {
      name,
      description: record.description,
      prices: variants.map((variant) => variant.price),
      contents: [],
      choices:
        variants.length > 1 && named.length === variants.length
          ? variants.map((variant) => `${optionName(variant)}: ${formatRupiah(variant.price)}`)
          : [],
    };
  }
  const [lines, options] = await Promise.all([
    q.listOfferBundleLines(db, caller.businessId, owner.id),
    q.listOfferPriceOptions(db, caller.businessId, owner.id),
  ]);
  const contents = lines.map((line) => {
    const variant = optionName(line);
    return `${line.quantity}x ${line.public_name?.trim() || line.name}${variant ? ` (${variant})` : ''}`;
  });
  return {
    name,
    description: record.description,
    prices: options.map((option) => option.price),
    contents,
    choices:
      options.length > 1 ? options.map((option) => `${option.name}: ${formatRupiah(option.price)}`) : [],
  };
}

/**
 * Generates the standard follow-up sequence (confirmation, reminders, shipped, thank-you) from the
 * owner's data and stores it beside the chats the owner already has; answers nothing (204).
 */
export async function generateFollowUpChatsFor(db: Db, caller: Caller, owner: ChatOwner): Promise<void> {
  const facts = await offerFacts(db, caller, owner);
  await q.insertChats(
    db,
    generateFollowUpChats(facts).map((chat) => ({
      business_id: caller.businessId,
      product_id: owner.kind === 'product' ? owner.id : null,
      bundle_id: owner.kind === 'bundle' ? owner.id : null,
      ...chat,
    })),
  );
}
