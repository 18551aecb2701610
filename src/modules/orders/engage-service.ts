import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { isEPaymentMethod } from '../../providers/payments/channels.ts';
import type { StorageProvider } from '../../providers/storage/index.ts';
import { queuePurchaseEvents } from '../conversions/purchase.ts';
import { enqueueMail } from '../mail/service.ts';
import { downloadsOfVariants } from '../product-content/digital-files.ts';
import { followUpChatsOfOffers, type OfferChat } from '../product-content/follow-up-chats.ts';
import { formatRupiah, renderTemplate } from '../product-content/template.ts';
import { updateBusinessOrder } from './bulk-queries.ts';
import type { BusinessOrderObject } from './business-schemas.ts';
import { getOrder, type OrderCaller } from './business-service.ts';
import { editOrder } from './edit-service.ts';
import * as q from './engage-queries.ts';
import { listActivePaymentAccounts } from './queries.ts';

/**
 * What a merchant does with an order beyond its status: the follow-up chats of its products and
 * bundles with the buyer's details filled in, the messages sent, the e-mails about it, and sending
 * the buyer their digital products or course access by e-mail.
 */

const urls = (order: BusinessOrderObject) => ({
  id: order.id,
  public_order_url: order.public_order_url,
  payment_url: order.payment_url,
});

/** `getOrderActions`: which sending actions apply, from the kinds of item the order holds. */
export async function getOrderActions(db: Db, caller: OrderCaller, id: string, publicUrl: string) {
  const order = await getOrder(db, caller, id, publicUrl);
  const kinds = new Set(order.orderlines.map((line) => line.item_type));
  return {
    ...urls(order),
    order_id: order.order_id,
    is_digital_product_present: kinds.has('digital'),
    is_lms_product_present: kinds.has('course'),
    is_physical_product_present: kinds.has('physical'),
  };
}

/** Indonesian numbers as WhatsApp links want them: digits, a leading 0 as 62. */
function whatsappNumber(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('0') ? `62${digits.replace(/^0+/, '')}` : digits;
}

/** The template for the order's payment method: bank transfer, COD or e-payment, else any there is. */
function templateFor(chat: OfferChat, paymentMethod: string): string | null {
  if (paymentMethod === 'cod') return chat.text_for_cod;
  if (isEPaymentMethod(paymentMethod)) return chat.text_for_epayment;
  if (paymentMethod === 'bank_transfer') return chat.text_for_bank_transfer;
  return chat.text_for_bank_transfer ?? chat.text_for_epayment ?? chat.text_for_cod;
}

async function chatsOf(db: Db, caller: OrderCaller, order: BusinessOrderObject) {
  const offers = await q.offersOfOrder(db, caller.businessId, order.id);
  const chats = await followUpChatsOfOffers(db, caller.businessId, offers);
  const accounts = await listActivePaymentAccounts(db, caller.businessId);
  // The buyer's facts, left as placeholders when the chats were written (product-content/template.ts).
  const values = {
    customer_name: order.customer.name,
    order_id: order.order_id,
    order_total: formatRupiah(order.gross_revenue),
    payment_url: order.payment_url,
    bank_account: accounts
      .map(
        (account) =>
          `${account.financial_entity_name} ${account.account_number} a.n. ${account.account_holder}`,
      )
      .join('\n'),
  };
  return chats.map((chat) => {
    const template = templateFor(chat, order.payment_method);
    const text = template === null ? null : renderTemplate(template, values, { final: true });
    return {
      id: chat.id,
      name: chat.name,
      provider: chat.provider,
      trigger: chat.trigger,
      hours_after: chat.hours_after,
      change_status: chat.change_status,
      image: chat.image,
      is_default: chat.is_default,
      wa_integration_id: chat.wa_integration_id,
      text,
      text_url:
        text !== null && order.customer.phone
          ? `https://wa.me/${whatsappNumber(order.customer.phone)}?text=${encodeURIComponent(text)}`
          : null,
    };
  });
}

/** `listOrderChats`: the order's follow-up chats, ready to send. */
export async function listOrderChats(db: Db, caller: OrderCaller, id: string, publicUrl: string) {
  const order = await getOrder(db, caller, id, publicUrl);
  return {
    ...urls(order),
    order_id: order.order_id,
    secret_slug: order.secret_slug,
    status: order.status,
    payment_status: order.payment_status,
    is_probably_spam: order.is_probably_spam,
    mark_as_spam_by: order.mark_as_spam_by,
    chat_message: order.chat_message,
    follow_up_chat_type: null,
    follow_up_chats: await chatsOf(db, caller, order),
  };
}

const chatNotFound = () => errors.notFound('Chat not found for this order');

/** `getOrderChat`: one of the order's follow-up chats. */
export async function getOrderChat(
  db: Db,
  caller: OrderCaller,
  id: string,
  chatId: number,
  publicUrl: string,
) {
  const order = await getOrder(db, caller, id, publicUrl);
  const chat = (await chatsOf(db, caller, order)).find((candidate) => candidate.id === chatId);
  if (!chat) throw chatNotFound();
  return chat;
}

async function messageHistory(db: Db, caller: OrderCaller, order: BusinessOrderObject) {
  const rows = await q.listOrderMessages(db, caller.businessId, order.id);
  return {
    ...urls(order),
    message_history: rows.map((row) => ({
      id: row.id,
      follow_up_chat_id: row.follow_up_chat_id,
      message: row.message,
      provider: row.provider,
      sender_name: row.sender_name,
      sender_phone: row.sender_phone,
      recipient_name: row.recipient_name,
      recipient_phone: row.recipient_phone,
      is_from_bot: row.is_from_bot,
      timestamp: row.created_at.toISOString(),
    })),
  };
}

/** `getOrderMessageHistory`: the messages sent to the buyer about this order, oldest first. */
export async function getOrderMessageHistory(db: Db, caller: OrderCaller, id: string, publicUrl: string) {
  return messageHistory(db, caller, await getOrder(db, caller, id, publicUrl));
}

/**
 * `addOrderMessageHistory`: records that one of the order's follow-up chats was sent to the buyer
 * (from the merchant's own WhatsApp: this server sends nothing), with its text as sent.
 */
export async function addOrderMessageHistory(
  db: Db,
  caller: OrderCaller,
  id: string,
  chatId: number,
  publicUrl: string,
) {
  const order = await editOrder(db, caller, id, publicUrl, async (trx, locked) => {
    const view = await getOrder(trx, caller, locked.id, publicUrl);
    const chat = (await chatsOf(trx, caller, view)).find((candidate) => candidate.id === chatId);
    if (!chat || chat.text === null) {
      throw errors.invalidField(
        'follow_up_chat_id',
        'is not a follow-up chat of this order’s products or bundles',
      );
    }
    await q.insertOrderMessage(trx, {
      business_id: caller.businessId,
      order_id: locked.id,
      follow_up_chat_id: chat.id,
      message: chat.text,
      provider: chat.provider,
      sender_name: view.business.account_holder,
      sender_phone: view.handler_phone,
      recipient_name: view.customer.name,
      recipient_phone: view.customer.phone,
      sent_by_user_id: caller.userId,
    });
  });
  return messageHistory(db, caller, order);
}

/** `listOrderEmails`: what was e-mailed about the order (digital products, course access). */
export async function listOrderEmails(db: Db, caller: OrderCaller, id: string, publicUrl: string) {
  const order = await getOrder(db, caller, id, publicUrl);
  const rows = await q.listOrderEmails(db, caller.businessId, order.id);
  return {
    data: rows.map((row) => ({
      id: row.id,
      order_id: order.id,
      type: row.kind,
      to: row.to_address,
      subject: row.subject,
      status: row.status,
      message_id: row.provider_message_id,
      inserted_at: row.created_at.toISOString(),
      updated_at: (row.sent_at ?? row.created_at).toISOString(),
    })),
    is_paginated: false as const,
  };
}

function recipientOf(order: BusinessOrderObject): string {
  if (!order.customer.email) {
    throw errors.conflict(
      'The order has no customer e-mail to send to; set one with PATCH /v3/orders/{id}/customer',
    );
  }
  return order.customer.email;
}

/** `sendDigitalProduct`: e-mails the buyer download links for the order's digital products. */
export async function sendDigitalProduct(
  db: Db,
  storage: StorageProvider,
  caller: OrderCaller,
  id: string,
  publicUrl: string,
): Promise<void> {
  const order = await getOrder(db, caller, id, publicUrl);
  const variantIds = order.orderlines
    .filter((line) => line.item_type === 'digital' && line.variant !== null)
    .map((line) => line.variant!);
  if (variantIds.length === 0) throw errors.conflict('The order has no digital product to send');
  const to = recipientOf(order);
  const files = await downloadsOfVariants(db, storage, caller.businessId, variantIds);
  if (files.length === 0) throw errors.conflict('The order’s digital products have no files to send yet');
  const lines = files.map((file) => `- ${file.name}: ${file.url}`);
  await enqueueMail(db, {
    businessId: caller.businessId,
    orderId: order.id,
    to,
    subject: `Produk digital pesanan ${order.order_id}`,
    text: [
      `Halo ${order.customer.name},`,
      '',
      `Terima kasih atas pesanan ${order.order_id} di ${order.business.account_holder}. Unduh produk digital Anda di sini:`,
      ...lines,
      '',
      'Tautan unduhan berlaku sementara; minta kirim ulang ke penjual bila sudah kedaluwarsa.',
      `Pesanan Anda: ${order.public_order_url}`,
    ].join('\n'),
    kind: 'order_digital_product',
  });
}

/** `sendLmsAccess`: e-mails the buyer which courses the order gives them and where to sign in. */
export async function sendLmsAccess(
  db: Db,
  caller: OrderCaller,
  id: string,
  publicUrl: string,
): Promise<void> {
  const order = await getOrder(db, caller, id, publicUrl);
  const courses = order.orderlines.filter((line) => line.item_type === 'course');
  if (courses.length === 0) throw errors.conflict('The order has no course to give access to');
  const to = recipientOf(order);
  await enqueueMail(db, {
    businessId: caller.businessId,
    orderId: order.id,
    to,
    subject: `Akses kelas pesanan ${order.order_id}`,
    text: [
      `Halo ${order.customer.name},`,
      '',
      `Pesanan ${order.order_id} di ${order.business.account_holder} memberi Anda akses ke:`,
      ...courses.map((line) => `- ${line.product_name ?? line.name}`),
      '',
      `Masuk ke akun pelanggan ${order.store.name} dengan e-mail ${to} untuk mulai belajar.`,
      `Pesanan Anda: ${order.public_order_url}`,
    ].join('\n'),
    kind: 'order_lms_access',
  });
}

/**
 * `triggerOrderPurchase`: queues the order's Purchase event to the store's Meta, TikTok and
 * SnackVideo pixels (delivered by the worker, never while the merchant waits) and marks the order
 * for each platform that has a pixel. Safe to repeat: the event id is the order's.
 */
export async function triggerOrderPurchase(db: Db, caller: OrderCaller, id: string, publicUrl: string) {
  let outcome: Awaited<ReturnType<typeof queuePurchaseEvents>> | undefined;
  await editOrder(db, caller, id, publicUrl, async (trx, locked) => {
    const order = await getOrder(trx, caller, locked.id, publicUrl);
    const clickId = order.metadata.kwai_click_id;
    outcome = await queuePurchaseEvents(trx, {
      businessId: caller.businessId,
      storeId: order.store.id,
      orderId: order.id,
      orderUrl: order.public_order_url,
      grossRevenue: order.gross_revenue,
      customer: order.customer,
      clientIp: order.ip,
      snackVideoClickId: typeof clickId === 'string' && clickId.trim() !== '' ? clickId.trim() : null,
      variants: Object.entries(order.variants).map(([variant, quantity]) => ({
        variant_id: Number(variant),
        quantity,
      })),
      bundlePriceOptions: Object.entries(order.bundle_price_options).map(([option, quantity]) => ({
        bundle_price_option_id: Number(option),
        quantity,
      })),
    });
    const marks = {
      ...(outcome.meta.queued > 0 ? { is_purchase_fb: true } : {}),
      ...(outcome.tiktok.queued > 0 ? { is_purchase_tiktok: true } : {}),
      ...(outcome.kwai.queued > 0 ? { is_purchase_kwai: true } : {}),
    };
    if (Object.keys(marks).length > 0) await updateBusinessOrder(trx, caller.businessId, locked.id, marks);
  });
  return outcome!;
}
