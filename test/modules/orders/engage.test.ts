import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertProduct } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { addPixel, deliver, sandboxRows } from '../conversions/helpers.ts';
import { draftFor, placeOrder, variantLine } from './fixtures.ts';

let tenant: Tenant;
let other: Tenant;
/** A bank-transfer order of a physical, a digital and a course product. */
let mixed: string;
/** A physical-only order without e-mail. */
let plain: string;
let otherOrder: string;
let chatId: number;
let foreignChatId: number;

async function chat(on: Tenant, productId: number, name: string) {
  const row = await on.ctx.database.db
    .insertInto('follow_up_chats')
    .values({
      business_id: on.business.id,
      product_id: productId,
      bundle_id: null,
      name,
      provider: 'whatsapp',
      trigger: 'after_order',
      hours_after: 0,
      text_for_bank_transfer:
        'Halo {{customer_name}}, transfer {{order_total}} untuk {{order_id}} ke:\n{{bank_account}}',
      text_for_cod: 'COD {{order_id}}',
      text_for_epayment: 'Bayar di {{payment_url}}',
      image: null,
      wa_gateway_assignation_type: null,
      wa_integration_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  tenant = await createTenant('Sapa');
  other = await createTenant('Tetangga');
  const db = tenant.ctx.database.db;
  const shirt = await insertProduct(tenant, { name: 'Kaos' });
  const ebook = await insertProduct(tenant, { name: 'E-book', itemType: 'digital' });
  const course = await insertProduct(tenant, { name: 'Kelas Jahit', itemType: 'course' });
  await db
    .insertInto('digital_product_files')
    .values({
      business_id: tenant.business.id,
      product_id: ebook.id,
      variant_id: ebook.variants[0]!.id,
      name: 'ebook.pdf',
      content_type: 'application/pdf',
      size_in_bytes: 1000,
      storage_key: `b${tenant.business.id}-dpf-testfile`,
    })
    .execute();
  chatId = await chat(tenant, shirt.id, 'Konfirmasi');
  const lines = [
    variantLine(shirt.variants[0]!, 1, { isInventory: false }),
    variantLine(ebook.variants[0]!, 1, { isInventory: false, itemType: 'digital' }),
    variantLine(course.variants[0]!, 1, { isInventory: false, itemType: 'course' }),
  ];
  mixed = (
    await placeOrder(
      db,
      draftFor(tenant, lines, {
        customer: { name: 'Budi', email: 'budi@example.test', phone: '0812-3456-7890' },
      }),
    )
  ).id;
  plain = (
    await placeOrder(db, draftFor(tenant, [variantLine(shirt.variants[0]!, 1, { isInventory: false })]))
  ).id;
  await db
    .updateTable('orders')
    .set({ customer_email: null, customer_phone: null })
    .where('id', '=', plain)
    .execute();
  const theirs = await insertProduct(other);
  foreignChatId = await chat(other, theirs.id, 'Punya orang');
  otherOrder = (
    await placeOrder(
      other.ctx.database.db,
      draftFor(other, [variantLine(theirs.variants[0]!, 1, { isInventory: false })]),
    )
  ).id;
});

describe('getOrderActions', () => {
  it('says which kinds of item the order holds', async () => {
    const response = await tenant.request('GET', `/v3/orders/${mixed}/actions`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      id: mixed,
      is_digital_product_present: true,
      is_lms_product_present: true,
      is_physical_product_present: true,
    });
    expect((await tenant.request('GET', `/v3/orders/${plain}/actions`)).json()).toMatchObject({
      is_digital_product_present: false,
      is_lms_product_present: false,
      is_physical_product_present: true,
    });
    expect((await tenant.request('GET', `/v3/orders/${otherOrder}/actions`)).statusCode).toBe(404);
    const key = await tenant.restrictedKey(['order:list']);
    expect((await tenant.request('GET', `/v3/orders/${mixed}/actions`, { key })).statusCode).toBe(403);
  });
});

describe('order chats and message history', () => {
  it('fills the chat for the payment method with the buyer’s details and a WhatsApp link', async () => {
    const response = await tenant.request('GET', `/v3/orders/${mixed}/chats`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    const order = (await tenant.request('GET', `/v3/orders/${mixed}`)).json();
    expect(body).toMatchObject({ id: mixed, order_id: order.order_id, status: 'pending' });
    expect(body.follow_up_chats).toHaveLength(1);
    const [first] = body.follow_up_chats;
    expect(first).toMatchObject({ id: chatId, name: 'Konfirmasi', provider: 'whatsapp' });
    expect(first.text).toContain(`Halo Budi, transfer Rp450.000 untuk ${order.order_id} ke:`);
    expect(first.text_url).toBe(`https://wa.me/6281234567890?text=${encodeURIComponent(first.text)}`);
    const one = await tenant.request('GET', `/v3/orders/${mixed}/chats/${chatId}`);
    expect(one.json()).toEqual(first);
  });

  it('refuses a chat of other products or another business (404), and bad ids', async () => {
    expect((await tenant.request('GET', `/v3/orders/${mixed}/chats/${foreignChatId}`)).statusCode).toBe(404);
    expect((await tenant.request('GET', `/v3/orders/${otherOrder}/chats`)).statusCode).toBe(404);
    expect((await tenant.request('GET', `/v3/orders/${mixed}/chats/abc`)).statusCode).toBe(422);
    const key = await tenant.restrictedKey(['order:list']);
    expect((await tenant.request('GET', `/v3/orders/${mixed}/chats`, { key })).statusCode).toBe(403);
  });

  it('records a sent chat in the message history, with its text as sent', async () => {
    const empty = await tenant.request('GET', `/v3/orders/${mixed}/message-history`);
    expect(empty.json()).toMatchObject({ id: mixed, message_history: [] });
    const added = await tenant.request('POST', `/v3/orders/${mixed}/message-history`, {
      body: { follow_up_chat_id: chatId },
    });
    expect(added.statusCode, added.body).toBe(200);
    const [message] = added.json().message_history;
    expect(message).toMatchObject({
      follow_up_chat_id: chatId,
      provider: 'whatsapp',
      recipient_name: 'Budi',
      recipient_phone: '0812-3456-7890',
      is_from_bot: false,
    });
    expect(message.message).toContain('Halo Budi');
    expect(
      (await tenant.request('GET', `/v3/orders/${mixed}/message-history`)).json().message_history,
    ).toHaveLength(1);
  });

  it('refuses a chat that is not the order’s (422), another business’s order (404), bad input and a missing scope', async () => {
    const foreign = await tenant.request('POST', `/v3/orders/${mixed}/message-history`, {
      body: { follow_up_chat_id: foreignChatId },
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().errors).toHaveProperty('follow_up_chat_id');
    expect(
      (
        await tenant.request('POST', `/v3/orders/${otherOrder}/message-history`, {
          body: { follow_up_chat_id: chatId },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await tenant.request('POST', `/v3/orders/${mixed}/message-history`, { body: {} })).statusCode,
    ).toBe(422);
    const key = await tenant.restrictedKey(['order:read']);
    expect(
      (
        await tenant.request('POST', `/v3/orders/${mixed}/message-history`, {
          body: { follow_up_chat_id: chatId },
          key,
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('sending digital products and course access', () => {
  it('e-mails download links and course access, listed among the order’s e-mails', async () => {
    const digital = await tenant.request('POST', `/v3/orders/${mixed}/send-product-digital`);
    expect(digital.statusCode, digital.body).toBe(204);
    const lms = await tenant.request('POST', `/v3/orders/${mixed}/send-lms-access`);
    expect(lms.statusCode, lms.body).toBe(204);
    const emails = await tenant.request('GET', `/v3/orders/${mixed}/emails`);
    expect(emails.statusCode, emails.body).toBe(200);
    expect(emails.json()).toMatchObject({
      is_paginated: false,
      data: [
        { type: 'order_digital_product', to: 'budi@example.test', status: 'queued', order_id: mixed },
        { type: 'order_lms_access', to: 'budi@example.test', status: 'queued', order_id: mixed },
      ],
    });
    const bodies = await tenant.ctx.database.db
      .selectFrom('mail_messages')
      .select('text_body')
      .where('order_id', '=', mixed)
      .orderBy('id')
      .execute();
    expect(bodies[0]!.text_body).toMatch(/- ebook\.pdf: http/);
    expect(bodies[1]!.text_body).toContain('Kelas Jahit');
  });

  it('is 409 for an order without such items or e-mail, 404 for another business’s, 403 without order:read', async () => {
    expect((await tenant.request('POST', `/v3/orders/${plain}/send-product-digital`)).statusCode).toBe(409);
    expect((await tenant.request('POST', `/v3/orders/${plain}/send-lms-access`)).statusCode).toBe(409);
    expect((await tenant.request('POST', `/v3/orders/${otherOrder}/send-product-digital`)).statusCode).toBe(
      404,
    );
    expect((await tenant.request('GET', `/v3/orders/${otherOrder}/emails`)).statusCode).toBe(404);
    const key = await tenant.restrictedKey(['order:list']);
    expect((await tenant.request('POST', `/v3/orders/${mixed}/send-lms-access`, { key })).statusCode).toBe(
      403,
    );
    const readOnly = await tenant.restrictedKey(['order:read']);
    expect((await tenant.request('GET', `/v3/orders/${mixed}/emails`, { key: readOnly })).statusCode).toBe(
      403,
    );
  });
});

describe('triggerOrderPurchase', () => {
  it('queues one Purchase per pixel, marks the order, and the worker delivers it with the buyer hashed', async () => {
    const shop = await createTenant('Piksel');
    await addPixel(shop, 'meta');
    await addPixel(shop, 'tiktok');
    await addPixel(shop, 'snackvideo');
    const product = await insertProduct(shop);
    const db = shop.ctx.database.db;
    const id = (
      await placeOrder(
        db,
        draftFor(shop, [variantLine(product.variants[0]!, 2, { isInventory: false })], {
          customer: { name: 'Budi', email: 'Budi@Example.test', phone: '0812-1111-2222' },
        }),
      )
    ).id;
    const response = await shop.request('POST', `/v3/orders/${id}/trigger-purchase`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      meta: { queued: 1, event_id: `purchase-${id}` },
      tiktok: { queued: 1, event_id: `purchase-${id}` },
      kwai: { queued: 0, event_id: `purchase-${id}`, skipped: expect.stringContaining('click id') },
    });
    expect((await shop.request('GET', `/v3/orders/${id}`)).json()).toMatchObject({
      is_purchase_fb: true,
      is_purchase_tiktok: true,
      is_purchase_kwai: false,
    });
    await deliver(shop);
    const sent = await sandboxRows(db, shop.store.id);
    expect(sent.map((row) => row.platform).sort()).toEqual(['meta', 'tiktok']);
    const metaEvent = JSON.stringify(sent.find((row) => row.platform === 'meta'));
    expect(metaEvent).toContain('Purchase');
    expect(metaEvent).not.toContain('budi@example.test');
    expect(metaEvent).toContain(createHash('sha256').update('budi@example.test').digest('hex'));

    // With the ad click's id in the metadata SnackVideo gets it too.
    await db
      .updateTable('orders')
      .set({ metadata: JSON.stringify({ kwai_click_id: 'clk-123' }) })
      .where('id', '=', id)
      .execute();
    const again = (await shop.request('POST', `/v3/orders/${id}/trigger-purchase`)).json();
    expect(again.kwai).toEqual({ queued: 1, event_id: `purchase-${id}` });
    expect((await shop.request('GET', `/v3/orders/${id}`)).json().is_purchase_kwai).toBe(true);
  });

  it('queues nothing for a store without pixels, 404 for another business’s order, 403 without order:update', async () => {
    const response = await tenant.request('POST', `/v3/orders/${plain}/trigger-purchase`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().meta.queued).toBe(0);
    expect((await tenant.request('GET', `/v3/orders/${plain}`)).json().is_purchase_fb).toBe(false);
    expect((await tenant.request('POST', `/v3/orders/${otherOrder}/trigger-purchase`)).statusCode).toBe(404);
    const key = await tenant.restrictedKey(['order:read']);
    expect((await tenant.request('POST', `/v3/orders/${plain}/trigger-purchase`, { key })).statusCode).toBe(
      403,
    );
  });
});
