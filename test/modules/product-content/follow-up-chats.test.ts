import { describe, expect, it } from 'vitest';
import { insertBundle, insertProduct } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { expectCursorPaging, expectError, expectPageSizeBounds, ok } from './helpers.ts';

interface Chat {
  id: number;
  product_id: number | null;
  bundle_id: number | null;
  store_id: number | null;
  name: string;
  provider: string;
  trigger: string | null;
  hours_after: number | null;
  change_status: boolean;
  image: string | null;
  is_default: boolean;
  text_for_bank_transfer: string | null;
  text_for_cod: string | null;
  text_for_epayment: string | null;
  wa_gateway_assignation_type: string | null;
  wa_integration: {
    id: number;
    name: string | null;
    phone_number: string | null;
    provider: string | null;
  } | null;
}

const FIELDS = [
  'bundle_id',
  'change_status',
  'hours_after',
  'id',
  'image',
  'is_default',
  'name',
  'product_id',
  'provider',
  'store_id',
  'text_for_bank_transfer',
  'text_for_cod',
  'text_for_epayment',
  'trigger',
  'wa_gateway_assignation_type',
  'wa_integration',
];

type Kind = 'product' | 'bundle';

/** A fresh owner of the kind under test, with the URL of its chats. */
async function owner(tenant: Tenant, kind: Kind) {
  if (kind === 'product') {
    const product = await insertProduct(tenant);
    return { id: product.id, url: `/v3/products/${product.id}/follow-up-chats` };
  }
  const product = await insertProduct(tenant);
  const bundle = await insertBundle(tenant, [{ variantId: product.variants[0]!.id, quantity: 2 }]);
  return { id: bundle.id, url: `/v3/bundles/${bundle.id}/follow-up-chats` };
}

describe.each(['product', 'bundle'] as const)('%s follow-up chats', (kind) => {
  const scope = (action: string) => `${kind}:${action}`;

  it('creates, reads, updates and deletes a chat with the exact shape', async () => {
    const tenant = await createTenant('Chats');
    const { id, url } = await owner(tenant, kind);
    const created = await ok<Chat>(tenant, 'POST', url, {
      body: {
        name: 'Reminder',
        provider: 'whatsapp',
        trigger: 'pending',
        hours_after: 24,
        image: 'https://cdn.example.com/promo.jpg',
        text_for_bank_transfer: 'Transfer ya kak',
        text_for_cod: 'Siapkan uang pas',
        wa_integration_id: 7,
      },
    });
    expect(Object.keys(created).sort()).toEqual(FIELDS);
    expect(created).toMatchObject({
      product_id: kind === 'product' ? id : null,
      bundle_id: kind === 'bundle' ? id : null,
      store_id: null,
      name: 'Reminder',
      provider: 'whatsapp',
      trigger: 'pending',
      hours_after: 24,
      change_status: false,
      image: 'https://cdn.example.com/promo.jpg',
      is_default: false,
      text_for_bank_transfer: 'Transfer ya kak',
      text_for_cod: 'Siapkan uang pas',
      text_for_epayment: null,
      wa_gateway_assignation_type: null,
      wa_integration: { id: 7, name: null, phone_number: null, provider: null },
    });
    expect(typeof created.id).toBe('number');
    expect(await ok(tenant, 'GET', `${url}/${created.id}`)).toEqual(created);

    // PATCH: name and provider required, absent fields kept, null clears.
    const updated = await ok<Chat>(tenant, 'PATCH', `${url}/${created.id}`, {
      body: { name: 'Reminder 2', provider: 'whatsapp', text_for_cod: null, change_status: true },
    });
    expect(updated).toMatchObject({
      name: 'Reminder 2',
      trigger: 'pending',
      hours_after: 24,
      text_for_bank_transfer: 'Transfer ya kak',
      text_for_cod: null,
      change_status: true,
    });

    // Zero and null are different values, not coerced into each other.
    const zero = await ok<Chat>(tenant, 'PATCH', `${url}/${created.id}`, {
      body: { name: 'R', provider: 'whatsapp', hours_after: 0, trigger: null, wa_integration_id: null },
    });
    expect(zero).toMatchObject({ hours_after: 0, trigger: null, wa_integration: null });
    const cleared = await ok<Chat>(tenant, 'PATCH', `${url}/${created.id}`, {
      body: { name: 'R', provider: 'whatsapp', hours_after: null },
    });
    expect(cleared.hours_after).toBeNull();

    const res = await tenant.request('DELETE', `${url}/${created.id}`);
    expect(res.statusCode).toBe(204);
    await expectError(tenant, 'GET', `${url}/${created.id}`, 404);
  });

  it('keeps one default chat per owner', async () => {
    const tenant = await createTenant('Chats');
    const { url } = await owner(tenant, kind);
    const first = await ok<Chat>(tenant, 'POST', url, {
      body: { name: 'A', provider: 'whatsapp', is_default: true },
    });
    const second = await ok<Chat>(tenant, 'POST', url, {
      body: { name: 'B', provider: 'whatsapp', is_default: true },
    });
    expect((await ok<Chat>(tenant, 'GET', `${url}/${first.id}`)).is_default).toBe(false);
    expect(second.is_default).toBe(true);
    await ok(tenant, 'PATCH', `${url}/${first.id}`, {
      body: { name: 'A', provider: 'whatsapp', is_default: true },
    });
    expect((await ok<Chat>(tenant, 'GET', `${url}/${second.id}`)).is_default).toBe(false);
  });

  it('pages by id ascending and bounds page_size', async () => {
    const tenant = await createTenant('Chats');
    const { url } = await owner(tenant, kind);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await ok<Chat>(tenant, 'POST', url, { body: { name: `FU ${i}`, provider: 'whatsapp' } })).id);
    }
    await expectCursorPaging(tenant, url, ids);
    await expectPageSizeBounds(tenant, url);
  });

  it('generates Indonesian follow-up texts from the real data and stores them', async () => {
    const tenant = await createTenant('Chats');
    const db = tenant.ctx.database.db;
    const product = await insertProduct(tenant, {
      name: 'Kopi Gayo',
      variants: [
        { price: '150000', option1_value: '250 g' },
        { price: '275000', option1_value: '500 g' },
      ],
    });
    let url = `/v3/products/${product.id}/follow-up-chats`;
    let name = 'Kopi Gayo Premium';
    await db
      .updateTable('products')
      .set({ public_name: name, description: 'Kopi arabika dari Aceh.' })
      .where('id', '=', product.id)
      .execute();
    if (kind === 'bundle') {
      const bundle = await insertBundle(
        tenant,
        [{ variantId: product.variants[0]!.id, quantity: 2 }],
        [{ name: 'Paket Hemat', price: '280000' }],
      );
      name = 'Paket Kopi';
      await db.updateTable('bundles').set({ public_name: name }).where('id', '=', bundle.id).execute();
      url = `/v3/bundles/${bundle.id}/follow-up-chats`;
    }
    const res = await tenant.request('POST', `${url}/generate`);
    expect(res.statusCode, res.body).toBe(204);
    const page = await ok<{ data: Chat[] }>(tenant, 'GET', url);
    expect(page.data.map((chat) => [chat.trigger, chat.hours_after])).toEqual([
      ['pending', 0],
      ['pending', 24],
      ['pending', 72],
      ['shipped', 0],
      ['completed', 24],
    ]);
    const [first] = page.data;
    expect(first!.provider).toBe('whatsapp');
    for (const text of [first!.text_for_bank_transfer, first!.text_for_cod, first!.text_for_epayment]) {
      expect(text).toContain(`*${name}*`);
      expect(text).toContain('{{customer_name}}');
    }
    expect(first!.text_for_bank_transfer).toContain('{{bank_account}}');
    expect(first!.text_for_epayment).toContain('{{payment_url}}');
    expect(first!.text_for_cod).toContain('COD');
    if (kind === 'product') {
      expect(first!.text_for_bank_transfer).toContain('• 250 g: Rp150.000');
      expect(first!.text_for_bank_transfer).toContain('• 500 g: Rp275.000');
      expect(first!.text_for_bank_transfer).toContain('Kopi arabika dari Aceh.');
      expect(page.data[2]!.text_for_bank_transfer).toContain('mulai Rp150.000');
    } else {
      expect(first!.text_for_bank_transfer).toContain('• 2x Kopi Gayo Premium (250 g)');
      expect(first!.text_for_bank_transfer).toContain('Harga: Rp280.000');
    }
  });

  it('validates the body and ids', async () => {
    const tenant = await createTenant('Chats');
    const { url } = await owner(tenant, kind);
    const missing = await expectError(tenant, 'POST', url, 422, { body: {} });
    expect(Object.keys(missing.errors).sort()).toEqual(['name', 'provider']);
    const bad = await expectError(tenant, 'POST', url, 422, {
      body: {
        name: 'A',
        provider: 'whatsapp',
        hours_after: -1,
        image: 'not a url',
        text_for_cod: 'x'.repeat(4097),
      },
    });
    expect(Object.keys(bad.errors).sort()).toEqual(['hours_after', 'image', 'text_for_cod']);
    const chat = await ok<Chat>(tenant, 'POST', url, { body: { name: 'A', provider: 'whatsapp' } });
    const patch = await expectError(tenant, 'PATCH', `${url}/${chat.id}`, 422, { body: { name: 'B' } });
    expect(patch.errors.provider).toEqual(['is required']);
    expect((await expectError(tenant, 'GET', `${url}/abc`, 422)).errors.id).toBeDefined();
    await expectError(tenant, 'GET', `${url}/999999999`, 404);
  });

  it('answers 404 to another business and under another owner', async () => {
    const tenant = await createTenant('Chats');
    const other = await createTenant('Chats other');
    const { url } = await owner(tenant, kind);
    const chat = await ok<Chat>(tenant, 'POST', url, { body: { name: 'A', provider: 'whatsapp' } });
    const body = { name: 'A', provider: 'whatsapp' };
    await expectError(other, 'GET', url, 404);
    await expectError(other, 'POST', url, 404, { body });
    await expectError(other, 'POST', `${url}/generate`, 404);
    await expectError(other, 'GET', `${url}/${chat.id}`, 404);
    await expectError(other, 'PATCH', `${url}/${chat.id}`, 404, { body });
    await expectError(other, 'DELETE', `${url}/${chat.id}`, 404);
    const sibling = await owner(tenant, kind);
    await expectError(tenant, 'GET', `${sibling.url}/${chat.id}`, 404);
  });

  it('requires the documented scopes', async () => {
    const tenant = await createTenant('Chats');
    const { url } = await owner(tenant, kind);
    const chat = await ok<Chat>(tenant, 'POST', url, { body: { name: 'A', provider: 'whatsapp' } });
    const key = await tenant.restrictedKey(['order:list']);
    const body = { name: 'A', provider: 'whatsapp' };
    const calls = [
      ['POST', `${url}/generate`, undefined],
      ['GET', url, undefined],
      ['POST', url, body],
      ['GET', `${url}/${chat.id}`, undefined],
      ['PATCH', `${url}/${chat.id}`, body],
      ['DELETE', `${url}/${chat.id}`, undefined],
    ] as const;
    for (const [method, path, payload] of calls) {
      const res = await expectError(tenant, method, path, 403, {
        key,
        ...(payload ? { body: payload } : {}),
      });
      expect(res.error_code).toBe('insufficient_scope');
    }
    const reader = await tenant.restrictedKey([scope('read')]);
    await ok(tenant, 'GET', `${url}/${chat.id}`, { key: reader });
    const lister = await tenant.restrictedKey([scope('list')]);
    await ok(tenant, 'GET', url, { key: lister });
  });
});
