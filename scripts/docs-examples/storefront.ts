import type { DemoCatalogIds } from './catalog.ts';
import type { Recorder, RecordingContext } from './recorder.ts';

/** What the customer and error sessions reuse of the storefront journey. */
export interface StorefrontJourney {
  destination: { location_id: number; postal_code: string };
  /** The bank-transfer order checked out by the guest. */
  orderSlug: string;
  buyer: { name: string; email: string; phone: string };
  courierServiceId: number;
  warehouseUniqueId: string;
  warehouseId: number;
}

/** A valid 1×1 PNG: the buyer's photo of the transfer receipt. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a4944415478da6360000000020001e527defc0000000049454e44ae426082',
  'hex',
);

/**
 * The storefront journey of the getting-started guide on the demo store: keys and origins, the
 * address form, the catalog, a guest cart, shipping, summary, checkout and payment; then the
 * business-side shipping searches and the conversion relays.
 */
export async function recordStorefront(
  context: RecordingContext,
  catalog: DemoCatalogIds,
): Promise<StorefrontJourney> {
  const { recorder: r, demo } = context;
  const store = { store_id: demo.store_unique_id };
  await recordStorefrontSetup(r, demo.store_id);
  const destination = await recordLocations(r, store);

  const items = (await r.call('listStorefrontItems', { params: store, query: { page_size: 2 } })).json();
  await r.call('countStorefrontItems', { params: store });
  const listed = (
    await r.call('listStorefrontItems', { params: store, query: { entity_type: 'product' }, quiet: true })
  ).json();
  const shirtItem = listed.data.find((item: { name: string }) => item.name.startsWith('Kaos Polos'));
  await r.call('getStorefrontProduct', { params: { ...store, slug: shirtItem.slug } });
  const options = (
    await r.call('listStorefrontItems', {
      params: store,
      query: { entity_type: 'bundle_price_option' },
      quiet: true,
    })
  ).json();
  const hemat = options.data.find((item: { name: string }) => item.name.endsWith('Paket Hemat'));
  await r.call('getStorefrontBundlePriceOption', { params: { ...store, slug: hemat.slug } });
  await r.call('listStorefrontCategories', { params: store });
  await r.call('listStorefrontPaymentMethods', { params: store });
  await r.call('getStorefrontVariantPricing', {
    params: store,
    query: { ids: `${catalog.blackL.id},${catalog.ebookVariantId}` },
  });
  await r.call('getStorefrontVariantAvailability', { params: { ...store, variant_id: catalog.blackL.id } });
  if (items.data.length === 0) throw new Error('the demo store lists nothing');

  // The guest cart: the first add opens it and answers its token in X-Scalev-Guest-Token.
  const opened = (
    await r.call('addGuestCartItem', {
      params: store,
      body: { type: 'variant', variant_id: catalog.blackL.id, quantity: 2 },
    })
  ).json();
  await r.call('addGuestCartItem', {
    params: store,
    body: { type: 'variant', variant_id: catalog.ebookVariantId, quantity: 1 },
    guest: true,
    quiet: true,
  });
  await r.call('addGuestCartItem', {
    params: store,
    body: { type: 'bundle_price_option', bundle_price_option_id: catalog.priceOptionIds[0]!, quantity: 1 },
    guest: true,
    quiet: true,
  });
  const cart = (await r.call('getGuestCart', { params: store, guest: true })).json();
  const bundleLine = cart.items.find((item: { type: string }) => item.type === 'bundle_price_option');
  await r.call('updateGuestCartItem', {
    params: { ...store, item_id: opened.items[0].id },
    body: { quantity: 3 },
    guest: true,
  });
  await r.call('removeGuestCartItem', { params: { ...store, item_id: bundleLine.id }, guest: true });

  const shipping = (
    await r.call('listPublicCheckoutShippingOptions', {
      params: store,
      body: { destination, payment_method: 'bank_transfer' },
      guest: true,
    })
  ).json();
  const option = shipping.data[0];
  const selection = {
    destination,
    payment_method: 'bank_transfer',
    courier_service_id: option.courier_service_id,
    warehouse_unique_id: option.warehouse_unique_id,
  };
  await r.call('checkDiscountCode', { params: store, body: { code: 'HEMAT10', ...selection }, guest: true });
  await r.call('getPublicCheckoutSummary', {
    params: store,
    body: { ...selection, discount_code_code: 'HEMAT10' },
    guest: true,
  });
  const buyer = { name: 'Siti Rahayu', email: 'siti.rahayu@example.com', phone: '081298765432' };
  const contact = {
    customer_name: buyer.name,
    customer_email: buyer.email,
    customer_phone: buyer.phone,
    shipping_address: 'Jl. Ir. H. Juanda No. 99',
    shipping_location_id: destination.location_id,
    shipping_postal_code: destination.postal_code,
  };
  const order = (
    await r.call('createPublicCheckout', {
      params: store,
      body: {
        items: [
          { type: 'variant', variant_id: catalog.blackL.id, quantity: 3 },
          { type: 'variant', variant_id: catalog.ebookVariantId, quantity: 1 },
        ],
        ...contact,
        payment_method: 'bank_transfer',
        courier_service_id: option.courier_service_id,
        warehouse_unique_id: option.warehouse_unique_id,
        discount_code_code: 'HEMAT10',
      },
    })
  ).json();
  await recordPublicOrder(r, store, order.secret_slug);

  // An e-payment order: the payment route creates its virtual account.
  const vaShipping = (
    await r.call('listPublicCheckoutShippingOptions', {
      params: store,
      body: {
        items: [{ type: 'variant', variant_id: catalog.whiteM.id, quantity: 1 }],
        destination,
        payment_method: 'va',
      },
      quiet: true,
    })
  ).json();
  const vaOrder = (
    await r.call('createPublicCheckout', {
      params: store,
      body: {
        items: [{ type: 'variant', variant_id: catalog.whiteM.id, quantity: 1 }],
        ...contact,
        payment_method: 'va',
        sub_payment_method: 'BCA',
        courier_service_id: vaShipping.data[0].courier_service_id,
        warehouse_unique_id: vaShipping.data[0].warehouse_unique_id,
      },
      quiet: true,
    })
  ).json();
  await r.call('createStorefrontPublicOrderPayment', {
    params: { ...store, secret_slug: vaOrder.secret_slug },
  });

  await recordConversions(r, store, catalog);
  const warehouseId = await recordShipping(context, catalog, destination, option.warehouse_unique_id);
  return {
    destination,
    orderSlug: order.secret_slug,
    buyer,
    courierServiceId: option.courier_service_id,
    warehouseUniqueId: option.warehouse_unique_id,
    warehouseId,
  };
}

async function recordStorefrontSetup(r: Recorder, storeId: number): Promise<void> {
  const params = { store_id: storeId };
  await r.call('listStorefrontPublicApiKeys', { params });
  const key = (await r.call('createStorefrontPublicApiKey', { params })).json();
  await r.call('revokeStorefrontPublicApiKey', { params: { ...params, id: key.id } });
  const origin = (
    await r.call('createStorefrontAllowedOrigin', {
      params,
      body: { origin: 'https://tokodemo.example.com' },
    })
  ).json();
  await r.call('listStorefrontAllowedOrigins', { params });
  await r.call('revokeStorefrontAllowedOrigin', { params: { ...params, id: origin.id } });
}

/** A buyer in Coblong, Kota Bandung, found the way an address form finds it. */
async function recordLocations(r: Recorder, store: { store_id: string }) {
  const found = (
    await r.call('searchStorefrontLocations', { params: store, query: { search: 'coblong bandung' } })
  ).json();
  const coblong = found.data.find((entry: { city_name: string }) => entry.city_name === 'Kota Bandung');
  await r.call('listLocations', { query: { search: 'coblong bandung', page_size: 2 } });
  await r.call('listLocationPostalCodes', { params: { location_id: coblong.id } });
  const provinces = (
    await r.call('listStorefrontLocationProvinces', { params: store, query: { search: 'jawa barat' } })
  ).json();
  const cities = (
    await r.call('listStorefrontLocationCities', {
      params: store,
      query: { province_id: provinces.data[0].id, search: 'bandung' },
    })
  ).json();
  const city = cities.data.find((entry: { name: string }) => entry.name === 'Kota Bandung');
  await r.call('listStorefrontLocationSubdistricts', {
    params: store,
    query: { city_id: city.id, search: 'coblong' },
  });
  const codes = (
    await r.call('listStorefrontLocationPostalCodes', { params: { ...store, location_id: coblong.id } })
  ).json();
  return { location_id: coblong.id as number, postal_code: codes.data[0].postal_code as string };
}

async function recordPublicOrder(r: Recorder, store: { store_id: string }, slug: string): Promise<void> {
  const params = { ...store, secret_slug: slug };
  await r.call('getStorefrontPublicOrder', { params });
  const upload = (
    await r.call('createStorefrontPublicOrderTransferProofUpload', {
      params,
      body: { filename: 'bukti-transfer-bca.png', content_type: 'image/png', content_length: PNG.length },
    })
  ).json();
  const put = await r.app.inject({
    method: 'PUT',
    url: new URL(upload.upload_url).pathname + new URL(upload.upload_url).search,
    payload: PNG,
    headers: { 'content-type': 'image/png' },
  });
  if (put.statusCode !== 200) throw new Error(`transfer proof upload failed: ${put.statusCode} ${put.body}`);
  await r.call('updateStorefrontPublicOrder', {
    params,
    body: {
      transferproof_url: upload.file_url,
      payment_account_holder: 'Siti Rahayu',
      payment_account_number: '7310 2288 91',
      notes: 'Sudah transfer dari BCA a.n. Siti Rahayu.',
    },
  });
}

async function recordConversions(r: Recorder, store: { store_id: string }, catalog: DemoCatalogIds) {
  const page = 'https://tokodemo.example.com/produk/kaos-polos-premium-cotton-combed-30s?utm_source=facebook';
  const when = Math.floor(Date.now() / 1000);
  await r.call('sendStorefrontMetaConversionEvent', {
    params: store,
    body: {
      event_source_url: page,
      referrer_url: 'https://www.facebook.com/',
      user_data: {
        em: ['siti.rahayu@example.com'],
        ph: ['081298765432'],
        fbp: 'fb.1.1764215000000.1234567890',
        fbc: 'fb.1.1764215000000.IwAR2xYz',
      },
      events: [{ event_name: 'AddToCart', event_id: 'atc-4f1c2e', event_time: when }],
      variants: [{ variant_id: catalog.blackL.unique_id, quantity: 2 }],
    },
  });
  await r.call('sendStorefrontTiktokConversionEvent', {
    params: store,
    body: {
      event_source_url: page,
      user: { email: ['siti.rahayu@example.com'], phone: ['081298765432'], ttclid: 'E.C.P.v3Ab7' },
      events: [{ event: 'ViewContent', event_id: 'vc-8d2a91', event_time: when }],
      variants: [{ variant_id: catalog.blackL.unique_id }],
    },
  });
  await r.call('sendStorefrontSnackVideoConversionEvent', {
    params: store,
    body: {
      event_source_url: page,
      click_id: 'CAw5MjQ2NTA4Mjc0',
      events: [{ event_name: 'Purchase', event_time: when, properties: { value: 199000, currency: 'IDR' } }],
    },
  });
}

async function recordShipping(
  { recorder: r, demo, db }: RecordingContext,
  catalog: DemoCatalogIds,
  destination: { location_id: number; postal_code: string },
  warehouseUniqueId: string,
): Promise<number> {
  const warehouse = await db
    .selectFrom('warehouses')
    .select('id')
    .where('unique_id', '=', warehouseUniqueId)
    .executeTakeFirstOrThrow();
  await r.call('searchWarehouses', {
    body: {
      destination_id: destination.location_id,
      store_id: demo.store_id,
      variants: [{ variant_id: catalog.blackL.id, qty: 2 }],
    },
  });
  await r.call('searchShippingCosts', {
    body: {
      courier_codes: ['jne', 'sicepat'],
      location_id: destination.location_id,
      postal_code: destination.postal_code,
      warehouse_id: warehouse.id,
      weight: 1300,
    },
  });
  await r.call('searchCourierServices', {
    body: {
      location_id: destination.location_id,
      payment_method: 'cod',
      store_id: demo.store_id,
      warehouse_id: warehouse.id,
      weight: 1300,
    },
  });
  return warehouse.id;
}
