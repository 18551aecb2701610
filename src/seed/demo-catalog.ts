import { Readable } from 'node:stream';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { ServerKeys } from '../lib/secrets.ts';
import { createBundle } from '../modules/bundles/service.ts';
import { createCourseContent, createCourseSection } from '../modules/courses/service.ts';
import { createDiscountCode } from '../modules/discounts/service.ts';
import { uploadDigitalProductFile } from '../modules/product-content/digital-file-upload.ts';
import { createProduct } from '../modules/products/writes.ts';
import { attachPriceOptions, attachProducts } from '../modules/stores/catalog-service.ts';
import * as setup from '../modules/stores/setup-admin.ts';
import { createStorage } from '../providers/storage/index.ts';

/**
 * The demo store's catalog: one product of each kind a storefront must handle (physical with
 * options and stock in two warehouses, digital with a file, a course, a subscription), a bundle
 * with two price options, the payment setup a checkout needs and a discount code (HEMAT10), all
 * listed in the demo store.
 * Created once: a demo business that already has products is left as it is.
 */
export interface DemoCatalog {
  product_ids: number[];
  bundle_id: number;
  warehouse_unique_ids: string[];
}

interface DemoTarget {
  businessId: number;
  userId: number | null;
  storeId: number;
}

/** A small, valid one-page PDF, so the demo e-book downloads as a real file. */
function demoPdf(): Buffer {
  const text = 'E-book Jualan Online - contoh file produk digital Nexus';
  const stream = `BT /F1 14 Tf 50 780 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

async function demoWarehouses(db: Db, businessId: number) {
  const jakarta = await setup.createWarehouse(db, businessId, {
    name: 'Gudang Jakarta',
    contactName: 'Demo Gudang',
    contactPhone: '081200000001',
    address: 'Jl. Cempaka Putih Tengah No. 1',
    locationId: 317105,
    postalCode: '10510',
  });
  const bandung = await setup.createWarehouse(db, businessId, {
    name: 'Gudang Bandung',
    contactName: 'Demo Gudang',
    contactPhone: '081200000002',
    address: 'Jl. Dago No. 10',
    locationId: 327302,
    postalCode: '40135',
  });
  return [jakarta, bandung];
}

export async function seedDemoCatalog(
  db: Db,
  config: Config,
  keys: ServerKeys,
  target: DemoTarget,
): Promise<DemoCatalog | null> {
  const existing = await db
    .selectFrom('products')
    .select('id')
    .where('business_id', '=', target.businessId)
    .limit(1)
    .executeTakeFirst();
  if (existing) return null;
  const storage = createStorage(config, keys);
  const caller = { businessId: target.businessId, userId: target.userId };
  const deps = { db, storage };

  const warehouses = await demoWarehouses(db, target.businessId);

  const shirt = await createProduct(deps, caller, {
    name: 'Kaos Polos Nexus',
    public_name: 'Kaos Polos Premium Cotton Combed 30s',
    item_type: 'physical',
    is_inventory: true,
    description: 'Kaos polos bahan cotton combed 30s, adem dan nyaman dipakai harian.',
    option1_name: 'Warna',
    option2_name: 'Ukuran',
    labels: ['Best Seller', 'Fashion'],
    variants: [
      {
        option1_value: 'Hitam',
        option2_value: 'M',
        price: '89000',
        cogs: '45000',
        weight: 200,
        sku: 'KAOS-HTM-M',
      },
      {
        option1_value: 'Hitam',
        option2_value: 'L',
        price: '89000',
        cogs: '45000',
        weight: 220,
        sku: 'KAOS-HTM-L',
      },
      {
        option1_value: 'Putih',
        option2_value: 'M',
        price: '85000',
        cogs: '43000',
        weight: 200,
        sku: 'KAOS-PTH-M',
      },
      {
        option1_value: 'Putih',
        option2_value: 'L',
        price: '85000',
        cogs: '43000',
        weight: 220,
        sku: 'KAOS-PTH-L',
      },
    ],
  });
  for (const variant of shirt.variants) {
    await setup.setStock(db, target.businessId, {
      warehouseUniqueId: warehouses[0]!.unique_id,
      variantUniqueId: variant.unique_id,
      qty: 50,
    });
    await setup.setStock(db, target.businessId, {
      warehouseUniqueId: warehouses[1]!.unique_id,
      variantUniqueId: variant.unique_id,
      qty: 20,
    });
  }

  const ebook = await createProduct(deps, caller, {
    name: 'E-book Jualan Online',
    item_type: 'digital',
    description: 'Panduan praktis memulai jualan online dari nol: riset produk, foto, iklan, dan closing.',
    variants: [{ price: '49000', weight: 0, sku: 'EBOOK-JUALAN' }],
  });
  const file = demoPdf();
  await uploadDigitalProductFile(
    { db, storage, maxUploadBytes: config.storage.maxUploadBytes },
    caller,
    ebook.variants[0]!.id,
    async () => ({
      fieldname: 'file',
      filename: 'ebook-jualan-online.pdf',
      mimetype: 'application/pdf',
      file: Readable.from(file),
    }),
  );

  const course = await createProduct(deps, caller, {
    name: 'Kelas Digital Marketing untuk UMKM',
    item_type: 'course',
    description: 'Belajar iklan Meta dan TikTok untuk UMKM, langkah demi langkah.',
    variants: [
      { price: '299000', weight: 0, sku: 'KELAS-DM', validity_period: 1, validity_period_unit: 'year' },
    ],
  });
  const courseVariant = String(course.variants[0]!.id);
  const outline = [
    { title: 'Memulai', contents: ['Selamat datang', 'Menentukan target pasar'] },
    { title: 'Iklan Meta', contents: ['Membuat akun iklan', 'Struktur kampanye', 'Membaca hasil iklan'] },
  ];
  for (const section of outline) {
    const created = await createCourseSection(db, caller, courseVariant, { title: section.title });
    for (const title of section.contents) {
      await createCourseContent(db, caller, created.uuid, { title, type: 'text', text: `Materi: ${title}.` });
    }
  }

  const membership = await createProduct(deps, caller, {
    name: 'Membership Komunitas Seller',
    item_type: 'subscription',
    description: 'Akses grup diskusi, template konten, dan sesi tanya jawab bulanan.',
    variants: [
      {
        price: '99000',
        weight: 0,
        sku: 'MEMBER-BULANAN',
        pricing_type: 'recurring',
        interval: 'month',
        interval_count: 1,
      },
    ],
  });

  const bundle = await createBundle(deps, caller, {
    name: 'Paket Mulai Jualan',
    public_name: 'Paket Mulai Jualan Online',
    description: 'Dua kaos untuk foto produk plus e-book panduan jualan.',
    bundlelines: [
      { variant_id: shirt.variants[0]!.id, quantity: 2 },
      { variant_id: ebook.variants[0]!.id, quantity: 1 },
    ],
    bundle_price_options: [
      { name: 'Paket Hemat', price: '199000' },
      { name: 'Paket Reseller', price: '179000' },
    ],
  });

  const productIds = [shirt.id, ebook.id, course.id, membership.id];
  await attachProducts(db, caller, target.storeId, productIds);
  await attachPriceOptions(
    db,
    caller,
    target.storeId,
    bundle.bundle_price_options.map((option) => option.id),
  );

  await setup.setPaymentMethods(db, target.businessId, {
    storeId: target.storeId,
    methods: ['bank_transfer', 'cod', 'qris', 'va', 'ovo', 'dana', 'shopeepay'],
    vaBanks: ['BCA', 'BNI', 'BRI', 'MANDIRI'],
  });
  await setup.createPaymentAccount(db, target.businessId, {
    bank: 'BCA',
    accountNumber: '1234567890',
    accountHolder: 'Toko Demo Nexus',
  });

  // A code a storefront developer can try at checkout: 10% off the products, at most Rp25.000.
  await createDiscountCode(db, caller, {
    code: 'HEMAT10',
    applied_to: 'product_price',
    amount_type: 'percentage',
    percentage: 10,
    is_max_amount: true,
    max_amount: '25000',
  });

  return {
    product_ids: productIds,
    bundle_id: bundle.id,
    warehouse_unique_ids: warehouses.map((warehouse) => warehouse.unique_id),
  };
}
