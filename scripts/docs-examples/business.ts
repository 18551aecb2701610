import { createApiKey, findMemberUserId, inviteMember } from '../../src/modules/businesses/service.ts';
import { addSalesPerson, createChannel } from '../../src/modules/stores/setup-admin.ts';
import type { DemoCatalogIds } from './catalog.ts';
import type { Recorder, RecordingContext } from './recorder.ts';

/** A member the demo business invited, with a key of the business acting for them. */
async function invitee(context: RecordingContext, email: string, name: string) {
  const { db, demo } = context;
  const password = 'Rahasia-Toko-2026';
  const invited = await inviteMember(db, demo.business_id, { email, name, role: 'Staff', password });
  const key = await createApiKey(db, {
    businessId: demo.business_id,
    userId: invited.userId,
    name: `${name} key`,
    kind: 'secret',
  });
  return { ...invited, password, headers: { authorization: `Bearer ${key.token}` } };
}

/** Identity and membership, the business's stores and their setup, and discount codes. */
export async function recordBusiness(context: RecordingContext, catalog: DemoCatalogIds): Promise<void> {
  const { recorder: r } = context;
  await r.call('getAuthenticatedIdentity');
  await r.call('getCurrentBusinessUser');

  const staff = await invitee(context, 'rina.admin@tokodemo.example.com', 'Rina Kusuma');
  await r.call('acceptBusinessInvitation', {
    headers: staff.headers,
    body: { business_phone: '081211223344' },
  });
  const declined = await invitee(context, 'joko@tokodemo.example.com', 'Joko Prasetyo');
  await r.call('denyBusinessInvitation', { headers: declined.headers });
  const leaving = await invitee(context, 'magang@tokodemo.example.com', 'Anak Magang');
  await r.call('acceptBusinessInvitation', { headers: leaving.headers, body: {}, quiet: true });
  await r.call('leaveBusiness', { headers: leaving.headers, body: { password: leaving.password } });
  await r.call('listBusinessUsers', { query: { page_size: 2 } });

  await recordStores(context, catalog, staff.userId);
  await recordDiscounts(r);
}

async function recordStores(context: RecordingContext, catalog: DemoCatalogIds, staffUserId: number) {
  const { recorder: r, demo, db } = context;
  const ownerId = await findMemberUserId(db, demo.business_id, demo.owner_email);
  await addSalesPerson(db, demo.business_id, { storeId: demo.store_id, userId: ownerId!, weight: 2 });
  await addSalesPerson(db, demo.business_id, { storeId: demo.store_id, userId: staffUserId, weight: 1 });
  await createChannel(db, demo.business_id, { storeId: demo.store_id, name: 'Instagram @tokodemo' });

  const demoStore = { store_id: demo.store_id };
  await r.call('listBusinessStores', { query: { page_size: 2 } });
  await r.call('listBusinessStoresSimplified');
  await r.call('getBusinessStore', { params: { id: demo.store_id } });
  await r.call('listBusinessStoreProducts', { params: demoStore, query: { page_size: 2 } });
  await r.call('listBusinessStoreBundles', { params: demoStore });
  await r.call('getBusinessStoreBundle', { params: { ...demoStore, bundle_id: catalog.bundleId } });
  await r.call('getBusinessStoreVariant', { params: { ...demoStore, variant_id: catalog.blackL.id } });
  await r.call('searchBusinessStoreProductKnowledge', { params: demoStore, query: { search: 'menyusut' } });
  await r.call('listBusinessStorePaymentMethods', { params: demoStore });
  await r.call('listBusinessStorePaymentAccounts', { params: demoStore });
  await r.call('listBusinessStoreSalesPeople', { params: demoStore });
  await r.call('listBusinessStorePages', { params: demoStore });
  await r.call('listBusinessStoreChannels', { params: demoStore });

  const created = (await r.call('createBusinessStore', { body: { name: 'Toko Demo Reseller' } })).json();
  const store = { store_id: created.id };
  await r.call('updateBusinessStore', {
    params: { id: created.id },
    body: {
      is_unique_code: true,
      max_unique_code_amount: 500,
      is_transferproof_required: true,
      other_income_name: 'Biaya packing',
      is_auto_expire: true,
      auto_expire_days: 2,
    },
  });
  const optionId = catalog.priceOptionIds[1]!;
  await r.call('attachBusinessStoreBundlePriceOptions', { params: store, body: { bpo_ids: [optionId] } });
  await r.call('getBusinessStoreBundlePriceOption', { params: { ...store, id: optionId } });
  await r.call('getBusinessStoreBundlePriceOptionRelations', { params: { ...store, id: optionId } });
  await r.call('detachBusinessStoreBundlePriceOption', { params: { ...store, id: optionId } });
  await r.call('deleteBusinessStore', { params: { id: created.id } });
}

async function recordDiscounts(r: Recorder): Promise<void> {
  const created = (
    await r.call('createDiscountCode', {
      body: {
        code: 'ONGKIRGRATIS',
        applied_to: 'shipping_cost',
        amount_type: 'fixed',
        amount: '20000',
        is_usage_limit: true,
        usage_limit: 100,
        is_expiry: true,
        expiry_time: '2027-01-31T16:59:59.000Z',
        is_minimum_revenue: true,
        minimum_revenue: '150000',
      },
    })
  ).json();
  await r.call('listDiscountCodes', { query: { page_size: 2 } });
  await r.call('getDiscountCode', { params: { id: created.id } });
  await r.call('updateDiscountCode', {
    params: { id: created.id },
    body: { usage_limit: 250, is_limited_to_payment_methods: true, payment_methods: ['bank_transfer', 'va'] },
  });
  await r.call('deleteDiscountCode', { params: { id: created.id } });
}
