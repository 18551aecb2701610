import { randomString } from '../../src/lib/ids.ts';
import { createBusiness } from '../../src/modules/businesses/service.ts';
import { multipart, type RecordingContext } from './recorder.ts';

/** What later sessions use of the demo catalog, as the business API showed it. */
export interface DemoCatalogIds {
  shirtId: number;
  /** Kaos Polos, Hitam / L. */
  blackL: { id: number; unique_id: string };
  whiteM: { id: number };
  ebookVariantId: number;
  courseVariantId: number;
  bundleId: number;
  priceOptionIds: number[];
  partnerUniqueId: string;
}

/** A one-page PDF, as a merchant would upload for an e-book. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

/** Products, variants, product content, courses, bundles and partnerships of the demo business. */
export async function recordCatalog({ recorder: r, demo, db }: RecordingContext): Promise<DemoCatalogIds> {
  const [shirtId, ebookId, courseId] = demo.catalog!.product_ids as [number, number, number, number];
  const bundleId = demo.catalog!.bundle_id;

  await r.call('listProducts', { query: { page_size: 2, item_type: 'physical' } });
  await r.call('listProductsSimplified', { query: { page_size: 2 } });
  await r.call('countProducts', { query: { is_inventory: 'true' } });
  const shirt = (await r.call('getProduct', { params: { id: shirtId } })).json();
  const variant = (option1: string, option2: string) =>
    shirt.variants.find(
      (v: { option1_value: string; option2_value: string }) =>
        v.option1_value === option1 && v.option2_value === option2,
    );
  const blackL = variant('Hitam', 'L');
  const whiteM = variant('Putih', 'M');
  await r.call('getVariant', { params: { id: blackL.id } });
  await r.call('getProductRelations', { params: { product_id: shirtId } });
  const taxonomies = (
    await r.call('listProductTaxonomies', { query: { search: 'Shirts & Tops', page_size: 2 } })
  ).json();
  await r.call('getProductTaxonomy', { params: { id: taxonomies.data[0].id } });

  const cap = (
    await r.call('createProduct', {
      body: {
        name: 'Topi Baseball Nexus',
        public_name: 'Topi Baseball Bordir Nexus',
        item_type: 'physical',
        is_inventory: true,
        description: 'Topi baseball bahan drill dengan bordir logo, strap belakang bisa diatur.',
        option1_name: 'Warna',
        labels: ['Aksesoris'],
        taxonomy_id: taxonomies.data[0].id,
        variants: [
          { option1_value: 'Hitam', price: '65000', cogs: '30000', weight: 150, sku: 'TOPI-HTM' },
          { option1_value: 'Navy', price: '65000', cogs: '30000', weight: 150, sku: 'TOPI-NVY' },
        ],
      },
    })
  ).json();
  await r.call('updateProduct', {
    params: { id: cap.id },
    body: {
      name: 'Topi Baseball Nexus',
      item_type: 'physical',
      description: 'Topi baseball bahan drill, bordir logo di depan. Satu ukuran untuk dewasa.',
    },
  });
  const copy = (await r.call('duplicateProduct', { params: { id: cap.id } })).json();
  await r.call('deleteProduct', { params: { id: copy.id } });

  await recordProductContent(r, shirtId, blackL.id, bundleId);
  const ebookVariantId = await recordDigitalFiles(r, ebookId);
  const courseVariantId = await recordCourse(r, courseId);
  const priceOptionIds = await recordBundles(r, bundleId, blackL.id, ebookVariantId);
  const partnerUniqueId = await recordPartners(r, db, shirtId, bundleId);
  return {
    shirtId,
    blackL,
    whiteM,
    ebookVariantId,
    courseVariantId,
    bundleId,
    priceOptionIds,
    partnerUniqueId,
  };
}

async function recordProductContent(
  r: RecordingContext['recorder'],
  productId: number,
  variantId: number,
  bundleId: number,
) {
  const question = {
    q: 'Apakah kaosnya menyusut setelah dicuci?',
    a: 'Tidak. Bahan cotton combed 30s sudah melalui proses pre-shrunk, jadi ukurannya stabil.',
  };
  const item = (
    await r.call('createProductKnowledgeItem', { params: { product_id: productId }, body: question })
  ).json();
  await r.call('listProductKnowledgeItems', { params: { product_id: productId } });
  await r.call('getProductKnowledgeItem', { params: { product_id: productId, id: item.id } });
  await r.call('updateProductKnowledgeItem', {
    params: { product_id: productId, id: item.id },
    body: { ...question, a: `${question.a} Cuci dengan air dingin agar warna tetap awet.`, position: 1 },
  });
  const sizing = {
    q: 'Berapa lebar dada ukuran L?',
    a: 'Lebar dada ukuran L 52 cm, panjang badan 72 cm.',
  };
  const variantItem = (
    await r.call('createVariantKnowledgeItem', { params: { variant_id: variantId }, body: sizing })
  ).json();
  await r.call('listVariantKnowledgeItems', { params: { variant_id: variantId } });
  await r.call('getVariantKnowledgeItem', { params: { variant_id: variantId, id: variantItem.id } });
  await r.call('updateVariantKnowledgeItem', {
    params: { variant_id: variantId, id: variantItem.id },
    body: { ...sizing, a: 'Lebar dada ukuran L 52 cm, panjang badan 72 cm, panjang lengan 21 cm.' },
  });
  const extra = (
    await r.call('createVariantKnowledgeItem', {
      params: { variant_id: variantId },
      body: { q: 'Warnanya luntur?', a: 'Tidak, pewarnaan reaktif.' },
      quiet: true,
    })
  ).json();
  await r.call('deleteVariantKnowledgeItem', { params: { variant_id: variantId, id: extra.id } });
  const spare = (
    await r.call('createProductKnowledgeItem', {
      params: { product_id: productId },
      body: { q: 'Ada ukuran XXL?', a: 'Belum tersedia.' },
      quiet: true,
    })
  ).json();
  await r.call('deleteProductKnowledgeItem', { params: { product_id: productId, id: spare.id } });

  await r.call('generateProductFollowUpChats', { params: { product_id: productId } });
  const chat = {
    name: 'Pengingat pembayaran 24 jam',
    provider: 'whatsapp',
    trigger: 'pending',
    hours_after: 24,
    change_status: false,
    text_for_bank_transfer:
      'Halo {{customer_name}}, pesanan Kaos Polos Anda menunggu transfer. Bayar hari ini agar segera kami kirim.',
    text_for_epayment:
      'Halo {{customer_name}}, selesaikan pembayaran Anda lewat tautan berikut: {{payment_url}}',
  };
  const created = (
    await r.call('createProductFollowUpChat', { params: { product_id: productId }, body: chat })
  ).json();
  await r.call('listProductFollowUpChats', { params: { product_id: productId }, query: { page_size: 2 } });
  await r.call('getProductFollowUpChat', { params: { product_id: productId, id: created.id } });
  await r.call('updateProductFollowUpChat', {
    params: { product_id: productId, id: created.id },
    body: { ...chat, hours_after: 12, is_default: true },
  });
  await r.call('deleteProductFollowUpChat', { params: { product_id: productId, id: created.id } });

  await r.call('generateBundleFollowUpChats', { params: { bundle_id: bundleId } });
  const bundleChat = {
    name: 'Terima kasih paket',
    provider: 'whatsapp',
    trigger: 'completed',
    hours_after: 24,
    text_for_cod: 'Terima kasih {{customer_name}}, semoga Paket Mulai Jualan bermanfaat!',
  };
  const bundleCreated = (
    await r.call('createBundleFollowUpChat', { params: { bundle_id: bundleId }, body: bundleChat })
  ).json();
  await r.call('listBundleFollowUpChats', { params: { bundle_id: bundleId }, query: { page_size: 2 } });
  await r.call('getBundleFollowUpChat', { params: { bundle_id: bundleId, id: bundleCreated.id } });
  await r.call('updateBundleFollowUpChat', {
    params: { bundle_id: bundleId, id: bundleCreated.id },
    body: { ...bundleChat, hours_after: 48 },
  });
  await r.call('deleteBundleFollowUpChat', { params: { bundle_id: bundleId, id: bundleCreated.id } });
}

async function recordDigitalFiles(r: RecordingContext['recorder'], ebookId: number): Promise<number> {
  const ebook = (await r.call('getProduct', { params: { id: ebookId }, quiet: true })).json();
  const variantId: number = ebook.variants[0].id;
  await r.call('listVariantDigitalProductFiles', { params: { variant_id: variantId } });
  const form = multipart([
    { name: 'file', filename: 'bonus-template-caption.pdf', contentType: 'application/pdf', data: PDF },
  ]);
  const uploaded = (
    await r.call('createVariantDigitalProductFile', {
      params: { variant_id: variantId },
      multipart: { ...form, example: { file: 'bonus-template-caption.pdf' } },
    })
  ).json();
  await r.call('createVariantDigitalProductFile', {
    params: { variant_id: variantId },
    body: { name: 'video-bonus-foto-produk.mp4', content_type: 'video/mp4', size_in_bytes: 48_000_000 },
  });
  await r.call('getVariantDigitalProductFile', { params: { variant_id: variantId, id: uploaded.id } });
  await r.call('deleteVariantDigitalProductFile', { params: { variant_id: variantId, id: uploaded.id } });
  return variantId;
}

async function recordCourse(r: RecordingContext['recorder'], courseId: number): Promise<number> {
  const product = (await r.call('getProduct', { params: { id: courseId }, quiet: true })).json();
  const variantId: number = product.variants[0].id;
  const course = (await r.call('getVariantCourse', { params: { id: variantId } })).json();
  await r.call('updateVariantCourse', {
    params: { id: variantId },
    body: { course_settings: { is_certificate_enabled: true, completion_threshold: 80 } },
  });
  await r.call('listVariantCustomers', { params: { id: variantId }, query: { page_size: 2 } });
  const section = (
    await r.call('createCourseSection', {
      params: { variant_id: variantId },
      body: { title: 'Iklan TikTok', is_shown: true },
    })
  ).json();
  const sectionUuids: string[] = course.course_sections.map((s: { uuid: string }) => s.uuid);
  await r.call('updateCourseSectionOrders', {
    params: { variant_id: variantId },
    body: { course_section_uuids: [sectionUuids[0], section.uuid, ...sectionUuids.slice(1)] },
  });
  await r.call('getCourseSection', { params: { uuid: section.uuid } });
  await r.call('updateCourseSection', {
    params: { uuid: section.uuid },
    body: { title: 'Iklan TikTok untuk Pemula' },
  });
  const lesson = (
    await r.call('createCourseContent', {
      params: { section_uuid: section.uuid },
      body: {
        title: 'Membuat akun TikTok Ads',
        type: 'video',
        video_url: 'https://videos.example.com/kelas-dm/tiktok-ads-1.mp4',
        duration: 540,
        text: 'Langkah membuat akun iklan dan menghubungkan pixel.',
        is_preview: true,
      },
    })
  ).json();
  const second = (
    await r.call('createCourseContent', {
      params: { section_uuid: section.uuid },
      body: { title: 'Memilih tujuan kampanye', type: 'text', text: 'Materi: tujuan kampanye.' },
      quiet: true,
    })
  ).json();
  await r.call('updateCourseContentOrders', {
    params: { section_uuid: section.uuid },
    body: { course_content_uuids: [second.uuid, lesson.uuid] },
  });
  await r.call('getCourseContent', { params: { uuid: lesson.uuid } });
  await r.call('updateCourseContent', {
    params: { uuid: lesson.uuid },
    body: { title: 'Membuat akun TikTok Ads Manager', duration: 600 },
  });
  await r.call('deleteCourseContent', { params: { uuid: second.uuid } });
  const spare = (
    await r.call('createCourseSection', {
      params: { variant_id: variantId },
      body: { title: 'Bonus' },
      quiet: true,
    })
  ).json();
  await r.call('deleteCourseSection', { params: { uuid: spare.uuid } });
  return variantId;
}

async function recordBundles(
  r: RecordingContext['recorder'],
  bundleId: number,
  shirtVariantId: number,
  ebookVariantId: number,
): Promise<number[]> {
  await r.call('listBundles', { query: { page_size: 2 } });
  await r.call('listBundlesSimplified', { query: { page_size: 2 } });
  await r.call('countBundles');
  const bundle = (await r.call('getBundle', { params: { id: bundleId } })).json();
  await r.call('getBundleRelations', { params: { bundle_id: bundleId } });
  await r.call('listBundlePriceOptions', { params: { bundle_id: bundleId } });
  const option = (
    await r.call('createBundlePriceOption', {
      params: { bundle_id: bundleId },
      body: { name: 'Paket Grosir', price: '169000', weight_bump: 50 },
    })
  ).json();
  await r.call('updateBundlePriceOption', {
    params: { bundle_id: bundleId, id: option.id },
    body: { name: 'Paket Grosir 10+', price: '165000' },
  });
  await r.call('getBundlePriceOptionRelations', { params: { bundle_id: bundleId, id: option.id } });
  await r.call('deleteBundlePriceOption', { params: { bundle_id: bundleId, id: option.id } });

  const created = (
    await r.call('createBundle', {
      body: {
        name: 'Paket Kaos Couple',
        public_name: 'Paket Kaos Couple Hitam Putih',
        description: 'Dua kaos polos, hitam dan putih, untuk pasangan.',
        labels: ['Fashion'],
        bundlelines: [
          { variant_id: shirtVariantId, quantity: 1 },
          { variant_id: ebookVariantId, quantity: 1 },
        ],
        bundle_price_options: [{ name: 'Harga Couple', price: '160000' }],
      },
    })
  ).json();
  await r.call('updateBundle', {
    params: { id: created.id },
    body: { description: 'Dua kaos polos untuk pasangan, plus e-book panduan jualan.', weight_bump: 20 },
  });
  const copy = (await r.call('duplicateBundle', { params: { id: created.id } })).json();
  await r.call('deleteBundle', { params: { id: copy.id } });
  return bundle.bundle_price_options.map((o: { id: number }) => o.id);
}

async function recordPartners(
  r: RecordingContext['recorder'],
  db: RecordingContext['db'],
  productId: number,
  bundleId: number,
): Promise<string> {
  const partner = await createBusiness(db, {
    accountHolder: 'Reseller Berkah Jaya',
    username: 'resellerberkah',
    owner: { email: 'owner@resellerberkah.test', name: 'Andi Berkah', password: randomString(20) },
  });
  const sharing = {
    is_product_sharing: true,
    is_affiliate_enabled: true,
    affiliate_commission_rate: '10',
    partnership_sales_letter: 'Jual ulang Kaos Polos Nexus dengan margin hingga 30%.',
  };
  await r.call('checkProductPartnershipChanges', { params: { product_id: productId }, body: sharing });
  await r.call('updateProductPartnership', { params: { product_id: productId }, body: sharing });
  const added = (
    await r.call('createProductPartner', {
      params: { product_id: productId },
      body: { partner_unique_id: partner.business.unique_id, partnership_type: 'reseller' },
    })
  ).json();
  await r.call('listProductPartners', { params: { product_id: productId } });
  await r.call('updateBundle', { params: { id: bundleId }, body: { is_bundle_sharing: true }, quiet: true });
  const bundlePartner = (
    await r.call('createBundlePartner', {
      params: { bundle_id: bundleId },
      body: { partner_unique_id: partner.business.unique_id },
    })
  ).json();
  await r.call('listBundlePartners', { params: { bundle_id: bundleId } });
  await r.call('deleteBundlePartner', { params: { bundle_id: bundleId, id: bundlePartner.id } });
  await r.call('deleteProductPartner', { params: { product_id: productId, id: added.id } });
  return partner.business.unique_id;
}
