import { runJobsOnce } from '../../src/jobs/worker.ts';
import { customerAuthJobHandlers } from '../../src/modules/customer-auth/jobs.ts';
import { mailJobHandlers } from '../../src/modules/mail/delivery.ts';
import { SandboxMessaging } from '../../src/providers/messaging/sandbox.ts';
import type { DemoCatalogIds } from './catalog.ts';
import { multipart, type Recorder, type RecordingContext } from './recorder.ts';
import type { StorefrontJourney } from './storefront.ts';

const quietLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** The newest e-mail of `kind` to `email`, once the worker has delivered it through the sandbox. */
async function newestMail({ db }: RecordingContext, email: string, kind: string): Promise<string> {
  await runJobsOnce({
    db,
    handlers: { ...customerAuthJobHandlers(), ...mailJobHandlers({ provider: new SandboxMessaging() }) },
    logger: quietLogger,
  });
  const mail = await db
    .selectFrom('mail_messages')
    .select('text_body')
    .where('to_address', '=', email)
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return mail.text_body;
}

/**
 * The guest of the storefront journey becomes a signed-in customer (reset link, password, login,
 * login code), manages their account and addresses, shops with their own cart; then the
 * merchant's side of customers, including the CSV import.
 */
export async function recordCustomers(
  context: RecordingContext,
  catalog: DemoCatalogIds,
  journey: StorefrontJourney,
): Promise<void> {
  const { recorder: r, demo } = context;
  const store = { store_id: demo.store_unique_id };
  const email = journey.buyer.email;

  await r.call('startCustomerPasswordReset', { params: store, body: { email } });
  const link = (await newestMail(context, email, 'customer_password_reset')).match(/https?:\/\/\S+/)![0];
  const token = new URL(link).searchParams.get('token')!;
  const password = 'Kaos-Polos-2026';
  await r.call('saveCustomerPassword', { params: store, body: { token, password } });
  const tokens = (await r.call('loginCustomer', { params: store, body: { email, password } })).json();
  const refreshed = (
    await r.call('refreshCustomerJwt', { params: store, body: { refresh: tokens.refresh } })
  ).json();
  r.credentials.customerAccess = refreshed.access;

  const storeId = { id: demo.store_id };
  await r.call('updateBusinessStore', {
    params: storeId,
    body: { is_customer_otp_required: true },
    quiet: true,
  });
  await r.call('loginCustomer', { params: store, body: { email, password }, quiet: true });
  const otp = (await newestMail(context, email, 'customer_login_otp')).match(/\b(\d{6})\b/)![1]!;
  const verified = (await r.call('verifyCustomerOtp', { params: store, body: { email, otp } })).json();
  await r.call('updateBusinessStore', {
    params: storeId,
    body: { is_customer_otp_required: false },
    quiet: true,
  });
  await r.call('blacklistCustomerJwt', { params: store, body: { tokens: [verified.refresh] } });

  await r.call('getCustomerMe', { params: store });
  await r.call('updateCustomerMe', {
    params: store,
    body: { name: 'Siti Rahayu', phone: '081298765432', date_of_birth: '1994-08-17', sex: 'female' },
  });
  const address = (
    await r.call('createCustomerMeAddress', {
      params: store,
      body: {
        name: 'Siti Rahayu',
        phone: '081298765432',
        location_id: journey.destination.location_id,
        postal_code: journey.destination.postal_code,
        address: 'Jl. Ir. H. Juanda No. 99',
        notes: 'Pagar hijau, titip ke satpam bila kosong.',
        is_default: true,
      },
    })
  ).json();
  await r.call('listCustomerMeAddresses', { params: store });
  await r.call('getCustomerMeAddress', { params: { ...store, address_id: address.id } });
  await r.call('updateCustomerMeAddress', {
    params: { ...store, address_id: address.id },
    body: { address: 'Jl. Ir. H. Juanda No. 99, Dago' },
  });
  const office = (
    await r.call('createCustomerMeAddress', {
      params: store,
      body: {
        name: 'Siti Rahayu (kantor)',
        location_id: journey.destination.location_id,
        address: 'Jl. Dipatiukur No. 35',
      },
      quiet: true,
    })
  ).json();
  await r.call('deleteCustomerMeAddress', { params: { ...store, address_id: office.id } });

  await recordCustomerShopping(r, store, catalog, journey, address.id);

  await r.call('setCustomerPassword', {
    params: store,
    body: { password: 'Kaos-Polos-Baru-2026', current_password: password },
  });
  await recordBusinessCustomers(r);
}

async function recordCustomerShopping(
  r: Recorder,
  store: { store_id: string },
  catalog: DemoCatalogIds,
  journey: StorefrontJourney,
  addressId: number,
): Promise<void> {
  // A guest cart filled before signing in, merged into the customer's own cart.
  r.credentials.guestToken = undefined;
  await r.call('addGuestCartItem', {
    params: store,
    body: { type: 'variant', variant_id: catalog.ebookVariantId, quantity: 1 },
    quiet: true,
  });
  await r.call('getCustomerCart', { params: store });
  const cart = (
    await r.call('addCustomerCartItem', {
      params: store,
      body: { type: 'variant', variant_id: catalog.whiteM.id, quantity: 1 },
    })
  ).json();
  await r.call('updateCustomerCartItem', {
    params: { ...store, item_id: cart.items[0].id },
    body: { quantity: 2 },
  });
  await r.call('mergeGuestCart', { params: store, guest: true });
  const merged = (await r.call('getCustomerCart', { params: store, quiet: true })).json();
  const ebookLine = merged.items.find(
    (item: { variant_id: number }) => item.variant_id === catalog.ebookVariantId,
  );
  await r.call('removeCustomerCartItem', { params: { ...store, item_id: ebookLine.id } });

  await r.call('listCheckoutAddresses', { params: store });
  await r.call('listCheckoutPaymentMethods', { params: store });
  const options = (
    await r.call('listCheckoutShippingOptions', {
      params: store,
      body: { address_id: addressId, payment_method: 'qris' },
    })
  ).json();
  const selection = {
    address_id: addressId,
    payment_method: 'qris',
    courier_service_id: options.data[0].courier_service_id,
    warehouse_unique_id: options.data[0].warehouse_unique_id,
  };
  await r.call('getCheckoutSummary', { params: store, body: selection });
  const order = (
    await r.call('createCustomerCheckout', {
      params: store,
      body: { ...selection, notes: 'Tolong bungkus rapi, untuk hadiah.' },
    })
  ).json();
  await r.call('listCustomerOrders', { params: store, query: { page_size: 2 } });
  await r.call('getCustomerOrder', { params: { ...store, id: order.id } });
  if (journey.orderSlug === order.secret_slug) throw new Error('expected a second order');
}

const CSV = [
  'name,email,phone,tags,notes,address,postal_code',
  'Budi Santoso,budi.santoso@example.com,081311112222,reseller;jakarta,Ambil grosir tiap bulan,Jl. Cempaka Putih Raya No. 5,10510',
  'Dewi Lestari,dewi.lestari@example.com,085622223333,vip,,Jl. Dago No. 120,40135',
  'Rudi Hartono,,081944445555,,,,',
].join('\n');

async function recordBusinessCustomers(r: Recorder): Promise<void> {
  const customer = (
    await r.call('createBusinessCustomer', {
      body: {
        name: 'Agus Wijaya',
        email: 'agus.wijaya@example.com',
        phone: '081377778888',
        sex: 'male',
        notes: 'Pelanggan dari pameran UMKM Bandung.',
        tags: ['pameran', 'bandung'],
      },
    })
  ).json();
  await r.call('uploadBusinessCustomers', {
    multipart: {
      ...multipart([{ name: 'file', filename: 'pelanggan.csv', contentType: 'text/csv', data: CSV }]),
      example: { file: CSV },
    },
  });
  await r.call('listBusinessCustomers', { query: { page_size: 2, tags: 'vip,reseller' } });
  await r.call('countBusinessCustomers', { query: { tags: 'reseller' } });
  await r.call('listBusinessCustomerTags');
  await r.call('getBusinessCustomer', { params: { id: customer.id } });
  await r.call('updateBusinessCustomer', {
    params: { id: customer.id },
    body: { notes: 'Pelanggan dari pameran UMKM Bandung; minta info produk baru lewat WhatsApp.' },
  });
  await r.call('updateBusinessCustomerTags', {
    params: { id: customer.id },
    body: { tags: ['pameran', 'vip'] },
  });
  const address = (
    await r.call('createBusinessCustomerAddress', {
      params: { customer_id: customer.id },
      body: {
        name: 'Agus Wijaya',
        phone: '081377778888',
        location_id: 327302,
        address: 'Jl. Dago No. 10',
        postal_code: '40135',
      },
    })
  ).json();
  await r.call('listBusinessCustomerAddresses', { params: { customer_id: customer.id } });
  await r.call('getBusinessCustomerAddress', { params: { customer_id: customer.id, id: address.id } });
  await r.call('updateBusinessCustomerAddress', {
    params: { customer_id: customer.id, id: address.id },
    body: { notes: 'Kirim sore hari.' },
  });
  await r.call('deleteBusinessCustomerAddress', { params: { customer_id: customer.id, id: address.id } });
}
