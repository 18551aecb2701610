import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { moveOrderThrough } from './fixtures.ts';
import { awbState, type ShippingFixture, shippingFixture } from './shipping-fixtures.ts';
import { eventNames, subscribeToEverything } from './webhook-events.ts';

let tenant: Tenant;
let other: Tenant;
let f: ShippingFixture;
const keys = { read: '', update: '' };

beforeAll(async () => {
  tenant = await createTenant('Resi Manual');
  other = await createTenant('Resi Tetangga');
  f = await shippingFixture(tenant);
  await subscribeToEverything(tenant);
  keys.read = await tenant.restrictedKey(['order:read']);
  keys.update = await tenant.restrictedKey(['order:update']);
});

const patch = (id: string, path: string, body: unknown, key?: string) =>
  tenant.request('PATCH', `/v3/orders/${id}/${path}`, { body, ...(key ? { key } : {}) });
const history = (id: string, body: unknown, key?: string) =>
  tenant.request('POST', `/v3/orders/${id}/shipment-status-history`, { body, ...(key ? { key } : {}) });
const ship = (id: string) =>
  moveOrderThrough(tenant.ctx.database.db, tenant.business.id, id, { status: 'shipped', actor: 'business' });

describe('updateOrderShipment', () => {
  it('sets the raw fields given and leaves the others', async () => {
    const order = await f.order('confirmed');
    const res = await patch(order.id, 'shipment', {
      shipment_receipt: ' JNE123 ',
      shipment_provider_code: 'ninja',
      courier_additional_info: 'Titip di pos satpam',
      awb_ca_status: 'created',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: order.id,
      status: 'confirmed',
      shipment_receipt: 'JNE123',
      shipment_provider_code: 'ninja',
      courier_additional_info: 'Titip di pos satpam',
      awb_ca_status: 'created',
      awb_status: 'created',
    });
    const cleared = await patch(order.id, 'shipment', { shipment_provider_code: null });
    expect(cleared.json()).toMatchObject({ shipment_provider_code: null, shipment_receipt: 'JNE123' });
    expect(await eventNames(tenant, order.id)).toEqual(['order.updated', 'order.updated']);
  });

  it('completes a shipped order through the lifecycle, and refuses one that is not shipped', async () => {
    const order = await f.order('confirmed');
    const refused = await patch(order.id, 'shipment', {
      is_shipment_completed: true,
      shipment_receipt: 'X1',
    });
    expect(refused.statusCode, refused.body).toBe(409);
    expect((await awbState(tenant, order.id)).shipment_receipt).toBeNull();
    await ship(order.id);
    const done = await patch(order.id, 'shipment', { is_shipment_completed: true });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'completed', completed_time: expect.any(String) });
    expect(await eventNames(tenant, order.id)).toEqual(['order.status_changed']);
    expect((await patch(order.id, 'shipment', { is_shipment_completed: false })).json().status).toBe(
      'completed',
    );
  });

  it('releases a held booking', async () => {
    const order = await f.order('confirmed');
    await tenant.ctx.database.db
      .updateTable('orders')
      .set({ awb_status: 'pending', awb_ca_status: 'pending', awb_outcome_unknown: true })
      .where('id', '=', order.id)
      .execute();
    await patch(order.id, 'shipment', { awb_ca_status: 'failed' });
    expect(await awbState(tenant, order.id)).toMatchObject({
      awb_ca_status: 'failed',
      awb_outcome_unknown: false,
    });
    const booked = await tenant.request('POST', '/v3/orders/generate-awb', { body: { ids: [order.id] } });
    expect(booked.json().successes[order.id]).toMatch(/^SBX/);
  });

  it('refuses bad input, missing scope and other tenants', async () => {
    const order = await f.order('confirmed');
    expect((await patch(order.id, 'shipment', { awb_ca_status: 'lost' })).statusCode).toBe(422);
    expect((await patch(order.id, 'shipment', { shipment_provider_code: 'biteship' })).statusCode).toBe(422);
    expect((await patch(order.id, 'shipment', { is_shipment_completed: 'yes' })).statusCode).toBe(422);
    expect((await patch(order.id, 'shipment', { shipment_receipt: 'x'.repeat(101) })).statusCode).toBe(422);
    expect((await patch(order.id, 'shipment', {}, keys.read)).statusCode).toBe(403);
    expect((await patch(order.id, 'shipment', {}, keys.update)).statusCode).toBe(200);
    expect((await other.request('PATCH', `/v3/orders/${order.id}/shipment`, { body: {} })).statusCode).toBe(
      404,
    );
    expect((await patch('123', 'shipment', {})).statusCode).toBe(404);
  });
});

describe('updateOrderShipmentReceipt', () => {
  it('sets the receipt, answers {} and keeps a booked receipt', async () => {
    const order = await f.order('confirmed');
    const res = await patch(order.id, 'shipment-receipt', { shipment_receipt: 'JP1234567890' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({});
    expect(await awbState(tenant, order.id)).toMatchObject({ shipment_receipt: 'JP1234567890' });
    expect(await eventNames(tenant, order.id)).toEqual(['order.updated']);
    await patch(order.id, 'shipment-receipt', { shipment_receipt: 'JP1234567890' });
    expect(await eventNames(tenant, order.id)).toEqual(['order.updated']);

    const booked = await f.order('confirmed');
    await tenant.request('POST', '/v3/orders/generate-awb', { body: { ids: [booked.id] } });
    const refused = await patch(booked.id, 'shipment-receipt', { shipment_receipt: 'OTHER' });
    expect(refused.statusCode).toBe(409);
    expect((await awbState(tenant, booked.id)).shipment_receipt).toMatch(/^SBX/);
  });

  it('refuses bad input, missing scope and other tenants', async () => {
    const order = await f.order('confirmed');
    expect((await patch(order.id, 'shipment-receipt', {})).statusCode).toBe(422);
    expect((await patch(order.id, 'shipment-receipt', { shipment_receipt: '' })).statusCode).toBe(422);
    expect((await patch(order.id, 'shipment-receipt', { shipment_receipt: '   ' })).statusCode).toBe(422);
    expect(
      (await patch(order.id, 'shipment-receipt', { shipment_receipt: 'A1' }, keys.read)).statusCode,
    ).toBe(403);
    const foreign = await other.request('PATCH', `/v3/orders/${order.id}/shipment-receipt`, {
      body: { shipment_receipt: 'A1' },
    });
    expect(foreign.statusCode).toBe(404);
  });
});

describe('createOrderShipmentStatusHistory', () => {
  it('records entries and moves the order along the parcel’s journey', async () => {
    const order = await f.order('confirmed');
    const info = await history(order.id, {
      description: 'Paket dijemput kurir',
      status: 'ready',
      timestamp: '2026-01-02T03:04:05Z',
    });
    expect(info.statusCode, info.body).toBe(200);
    expect(info.json().status).toBe('confirmed');
    const shipped = await history(order.id, {
      description: 'Paket dalam perjalanan',
      status: 'shipped',
      timestamp: '2026-01-02T05:00:00Z',
    });
    expect(shipped.json()).toMatchObject({ status: 'shipped', shipped_time: '2026-01-02T05:00:00.000Z' });
    expect(shipped.json().shipment_status_history).toEqual([
      {
        status: 'ready',
        description: 'Paket dijemput kurir',
        timestamp: '2026-01-02T03:04:05.000Z',
        timestamp_source: 'business',
      },
      {
        status: 'shipped',
        description: 'Paket dalam perjalanan',
        timestamp: '2026-01-02T05:00:00.000Z',
        timestamp_source: 'business',
      },
    ]);
    const done = await history(order.id, {
      description: 'Diterima',
      status: 'completed',
      timestamp: '2026-01-03T01:00:00Z',
    });
    expect(done.json().status).toBe('completed');
    // A late scan of an earlier step is recorded, never a move back.
    const late = await history(order.id, {
      description: 'Scan',
      status: 'shipped',
      timestamp: '2026-01-02T06:00:00Z',
    });
    expect(late.json()).toMatchObject({ status: 'completed' });
    expect(late.json().shipment_status_history).toHaveLength(4);
    expect(await eventNames(tenant, order.id)).toEqual([
      'order.updated',
      'order.updated',
      'order.status_changed',
      'order.updated',
      'order.status_changed',
      'order.updated',
    ]);
  });

  it('never cancels an order from a tracking entry', async () => {
    const order = await f.order('confirmed');
    const res = await history(order.id, {
      description: 'Batal',
      status: 'canceled',
      timestamp: '2026-01-02T03:04:05Z',
    });
    expect(res.json().status).toBe('confirmed');
  });

  it('refuses bad input, shipped_rts, missing scope and other tenants', async () => {
    const order = await f.order('confirmed');
    const entry = { description: 'x', status: 'shipped', timestamp: '2026-01-02T03:04:05Z' };
    expect((await history(order.id, { ...entry, status: 'shipped_rts' })).statusCode).toBe(422);
    expect((await history(order.id, { ...entry, timestamp: 'yesterday' })).statusCode).toBe(422);
    expect((await history(order.id, { status: 'shipped', timestamp: entry.timestamp })).statusCode).toBe(422);
    expect((await history(order.id, { ...entry, description: '' })).statusCode).toBe(422);
    expect((await history(order.id, entry, keys.read)).statusCode).toBe(403);
    expect(
      (await other.request('POST', `/v3/orders/${order.id}/shipment-status-history`, { body: entry }))
        .statusCode,
    ).toBe(404);
    expect((await awbState(tenant, order.id)).shipment_status).toBeNull();
  });
});
