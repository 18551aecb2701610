import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { importCustomers } from '../../../src/modules/customers/import.ts';
import { upsertCustomerByEmail } from '../../../src/modules/customers/records.ts';
import { buildTestApp, getTestContext } from '../../helpers/app.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { addressesOf, csvPart, customersOf, importCsv, multipart, upload } from './import-fixtures.ts';

let locationId: number;

beforeAll(async () => {
  const { database } = await getTestContext();
  const location = await database.db
    .selectFrom('locations')
    .select('id')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  locationId = location.id;
});

/** Good, bad and duplicate rows; the comment on each line is its line number in the file. */
function mixedFile(): string {
  return [
    'Name,EMAIL,Phone,Tags,Notes,Date_of_Birth,Sex,Address,Postal_Code,Location_ID,Source', // 1
    `Siti Lestari,Siti@Example.test,+62 812-1111-2222,vip;reseller,"Suka ""kue"", pesan tiap bulan",1990-02-28,female,"Jl. Merdeka 1, RT 02",10110,${locationId},ig`, // 2
    'Budi Santoso,budi@example.test,,grosir,,,,,,,', // 3
    '', // 4: empty lines are not rows
    ',nobody@example.test,,,,,,,,,', // 5
    'Agus,agus@,call me,,,,,,,,', // 6
    'Rina,,0813 3333 4444,newsletter,,,,Jl. Sudirman 5,,,', // 7
    'Siti L.,siti@example.test,,promo|VIP,,,,,,,', // 8: Siti again
    'Rina W.,,0813-3333-4444,,,,,,,,', // 9: Rina again (same digits)
    'Dewi,dewi@example.test,,,,,,"Jl. Panjang', // 10
    'Blok C",,,', // 11
    'Eko,eko@example.test,,,,1990-13-01,,,,,', // 12
    'Joko,joko@example.test,,,,,,Jl. Entah,,99999999,', // 13
  ].join('\n');
}

const MIXED_ERRORS = [
  { row: 5, reasons: ["name can't be blank"] },
  { row: 6, reasons: ['email is not an e-mail address', 'phone is not a phone number'] },
  { row: 12, reasons: ['date_of_birth is not a date (YYYY-MM-DD)'] },
  { row: 13, reasons: ['location_id is not a known location'] },
];

describe('uploadBusinessCustomers', () => {
  it('imports good rows, reports bad ones and counts duplicate rows once', async () => {
    const tenant = await createTenant('Import');
    const db = tenant.ctx.database.db;
    const report = await importCsv(tenant, mixedFile());
    expect(report).toEqual({
      rows: 10,
      created: 4,
      updated: 0,
      duplicates: 2,
      failed: 4,
      errors: MIXED_ERRORS,
    });

    const customers = await customersOf(db, tenant.business.id);
    expect(customers.map(({ id: _id, ...customer }) => customer)).toEqual([
      {
        name: 'Siti L.',
        email: 'siti@example.test',
        phone: '+62 812-1111-2222',
        tags: ['vip', 'reseller', 'promo'],
        notes: 'Suka "kue", pesan tiap bulan',
        date_of_birth: '1990-02-28',
        sex: 'female',
        store_id: null,
      },
      {
        name: 'Budi Santoso',
        email: 'budi@example.test',
        phone: null,
        tags: ['grosir'],
        notes: null,
        date_of_birth: null,
        sex: null,
        store_id: null,
      },
      {
        name: 'Dewi',
        email: 'dewi@example.test',
        phone: null,
        tags: [],
        notes: null,
        date_of_birth: null,
        sex: null,
        store_id: null,
      },
      {
        name: 'Rina W.',
        email: null,
        phone: '0813-3333-4444',
        tags: ['newsletter'],
        notes: null,
        date_of_birth: null,
        sex: null,
        store_id: null,
      },
    ]);
    const [siti, , dewi, rina] = customers;
    expect(await addressesOf(db, tenant.business.id)).toEqual([
      {
        customer_id: siti!.id,
        name: 'Siti L.',
        phone: '+62 812-1111-2222',
        email: 'siti@example.test',
        address: 'Jl. Merdeka 1, RT 02',
        postal_code: '10110',
        location_id: locationId,
        is_default: true,
      },
      {
        customer_id: dewi!.id,
        name: 'Dewi',
        phone: null,
        email: 'dewi@example.test',
        address: 'Jl. Panjang\nBlok C',
        postal_code: null,
        location_id: null,
        is_default: true,
      },
      {
        customer_id: rina!.id,
        name: 'Rina W.',
        phone: '0813-3333-4444',
        email: null,
        address: 'Jl. Sudirman 5',
        postal_code: null,
        location_id: null,
        is_default: true,
      },
    ]);
  });

  it('is safe to re-run: the second run updates and creates nothing', async () => {
    const tenant = await createTenant('Import rerun');
    const db = tenant.ctx.database.db;
    await importCsv(tenant, mixedFile());
    const customers = await customersOf(db, tenant.business.id);
    const addresses = await addressesOf(db, tenant.business.id);

    expect(await importCsv(tenant, mixedFile())).toEqual({
      rows: 10,
      created: 0,
      updated: 4,
      duplicates: 2,
      failed: 4,
      errors: MIXED_ERRORS,
    });
    expect(await customersOf(db, tenant.business.id)).toEqual(customers);
    expect(await addressesOf(db, tenant.business.id)).toEqual(addresses);
  });

  it('lands on the customers checkout created, by e-mail or by the digits of the phone', async () => {
    const tenant = await createTenant('Import existing');
    const db = tenant.ctx.database.db;
    const byEmail = await upsertCustomerByEmail(db, {
      businessId: tenant.business.id,
      storeId: tenant.store.id,
      name: 'Budi dari Checkout',
      email: 'Budi@Example.test',
      phone: '0812 9999 0000',
    });
    const byPhone = await upsertCustomerByEmail(db, {
      businessId: tenant.business.id,
      storeId: tenant.store.id,
      name: 'Wati',
      email: 'wati@example.test',
      phone: '+62 857-1234-5678',
    });

    const report = await importCsv(
      tenant,
      [
        'name,email,phone,tags,address',
        'Budi Santoso,BUDI@example.test,,grosir,Jl. Baru 2',
        'Wati Lestari,,+6285712345678,vip,',
        'Orang Baru,,+6285712345679,,',
      ].join('\r\n'),
    );
    expect(report).toMatchObject({ rows: 3, created: 1, updated: 2, duplicates: 0, failed: 0 });

    const customers = await customersOf(db, tenant.business.id);
    expect(customers).toHaveLength(3);
    expect(customers.find((c) => c.id === byEmail)).toMatchObject({
      name: 'Budi Santoso',
      email: 'budi@example.test',
      phone: '0812 9999 0000',
      tags: ['grosir'],
      store_id: tenant.store.id,
    });
    expect(customers.find((c) => c.id === byPhone)).toMatchObject({
      name: 'Wati Lestari',
      email: 'wati@example.test',
      phone: '+62 857-1234-5678',
      tags: ['vip'],
    });
    expect(customers.at(-1)).toMatchObject({ name: 'Orang Baru', email: null, phone: '+6285712345679' });
    // Checkout keeps landing on the same row after the import.
    expect(
      await upsertCustomerByEmail(db, {
        businessId: tenant.business.id,
        storeId: tenant.store.id,
        name: 'Budi',
        email: 'budi@example.test',
        phone: null,
      }),
    ).toBe(byEmail);
    expect(await addressesOf(db, tenant.business.id)).toMatchObject([
      { customer_id: byEmail, address: 'Jl. Baru 2', is_default: true },
    ]);

    // Tags add up across imports, compared ignoring case.
    expect(
      await importCsv(tenant, 'name,email,tags\nBudi Santoso,budi@example.test,GROSIR;baru'),
    ).toMatchObject({
      created: 0,
      updated: 1,
    });
    const budi = (await customersOf(db, tenant.business.id)).find((c) => c.id === byEmail);
    expect(budi?.tags).toEqual(['grosir', 'baru']);
  });

  it('leaves other businesses alone', async () => {
    const tenant = await createTenant('Import A');
    const other = await createTenant('Import B');
    const db = tenant.ctx.database.db;
    await importCsv(tenant, mixedFile());
    const before = await customersOf(db, tenant.business.id);

    const report = await importCsv(
      other,
      ['name,email,phone', 'Siti Lain,siti@example.test,', 'Rina Lain,,0813 3333 4444'].join('\n'),
    );
    expect(report).toMatchObject({ created: 2, updated: 0, duplicates: 0, failed: 0 });
    expect(await customersOf(db, tenant.business.id)).toEqual(before);
    const theirs = await customersOf(db, other.business.id);
    expect(theirs.map((c) => c.name)).toEqual(['Siti Lain', 'Rina Lain']);
    expect(theirs.map((c) => c.id).some((id) => before.some((c) => c.id === id))).toBe(false);
  });

  it('requires the customer:create scope and a business credential', async () => {
    const tenant = await createTenant('Import scope');
    const csv = 'name,email\nSiti,siti@example.test\n';
    const lister = await tenant.restrictedKey(['customer:list', 'customer:read', 'customer:update']);
    const denied = await upload(tenant, [csvPart(csv)], lister);
    expect(denied.statusCode, denied.body).toBe(403);
    expect(denied.json().error_code).toBe('insufficient_scope');

    const body = multipart([csvPart(csv)]);
    const anonymous = await tenant.ctx.app.inject({
      method: 'POST',
      url: '/v3/customers/upload',
      payload: body.payload,
      headers: { 'content-type': body.contentType },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(await customersOf(tenant.ctx.database.db, tenant.business.id)).toEqual([]);

    const creator = await tenant.restrictedKey(['customer:create']);
    const allowed = await upload(tenant, [csvPart(csv)], creator);
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(allowed.json()).toMatchObject({ created: 1 });
  });

  it('refuses what is not a CSV file before importing anything', async () => {
    const tenant = await createTenant('Import refuse');
    const expectFileError = async (res: Awaited<ReturnType<typeof upload>>, message: RegExp) => {
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({ error_code: 'validation_failed' });
      expect(res.json().errors.file[0]).toMatch(message);
    };
    const csv = 'name,email\nSiti,siti@example.test\n';

    await expectFileError(
      await upload(tenant, [csvPart('%PDF-1.7\n...', 'customers.pdf', 'application/pdf')]),
      /must be a CSV file \(\.csv\), got \.pdf/,
    );
    await expectFileError(
      await upload(tenant, [csvPart(csv, 'customers', 'image/png')]),
      /must be a CSV file \(text\/csv\), got image\/png/,
    );
    await expectFileError(
      await upload(tenant, [
        csvPart(csv, 'customers.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
      ]),
      /save the spreadsheet as CSV/,
    );
    // A spreadsheet renamed to .csv: binary content is refused whatever the name says.
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000'), Buffer.alloc(64)]);
    await expectFileError(await upload(tenant, [csvPart(zip)]), /is not a CSV text file/);
    await expectFileError(
      await upload(tenant, [csvPart('email,phone\nsiti@example.test,\n')]),
      /no name column/,
    );
    await expectFileError(await upload(tenant, [csvPart('')]), /is empty/);
    await expectFileError(
      await upload(tenant, [csvPart('"name,email\nSiti,siti@example.test\n')]),
      /not a CSV/,
    );
    await expectFileError(
      await upload(tenant, [{ name: 'note', data: 'no file here' }]),
      /is required: send the CSV file/,
    );
    await expectFileError(
      await upload(tenant, [{ ...csvPart(csv), name: 'csv' }]),
      /the file was sent as "csv"/,
    );

    const json = await tenant.request('POST', '/v3/customers/upload', { body: { file: csv } });
    expect(json.statusCode, json.body).toBe(415);
    expect(json.json().error_code).toBe('unsupported_media_type');

    // A CSV sent as plain text or as Excel's type for .csv is fine.
    expect((await upload(tenant, [csvPart(csv, 'export.txt', 'text/plain')])).statusCode).toBe(200);
    expect((await upload(tenant, [csvPart(csv, 'export.csv', 'application/vnd.ms-excel')])).statusCode).toBe(
      200,
    );
    expect(await customersOf(tenant.ctx.database.db, tenant.business.id)).toHaveLength(1);
  });

  it('answers 413 past the size limit, declared or streamed, and imports nothing', async () => {
    const tenant = await createTenant('Import size');
    const { config, database } = tenant.ctx;
    const small = await buildTestApp(database, {
      ...config,
      storage: { ...config.storage, maxUploadBytes: 1024 },
    });
    const rows = Array.from({ length: 60 }, (_, i) => `Pelanggan ${i},pelanggan${i}@example.test`);
    const big = ['name,email', ...rows].join('\n');
    expect(big.length).toBeGreaterThan(1024);
    try {
      const declared = multipart([csvPart(big)]);
      const tooBig = await small.app.inject({
        method: 'POST',
        url: '/v3/customers/upload',
        payload: declared.payload,
        headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': declared.contentType },
      });
      expect(tooBig.statusCode, tooBig.body).toBe(413);
      expect(tooBig.json().error_code).toBe('payload_too_large');

      // A stream payload is sent without a Content-Length: the limit is enforced as the file streams in.
      const streamed = await small.app.inject({
        method: 'POST',
        url: '/v3/customers/upload',
        payload: Readable.from([declared.payload]),
        headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': declared.contentType },
      });
      expect(streamed.statusCode, streamed.body).toBe(413);
      expect(streamed.json().error_code).toBe('payload_too_large');

      const fits = multipart([csvPart(['name,email', ...rows.slice(0, 10)].join('\n'))]);
      const ok = await small.app.inject({
        method: 'POST',
        url: '/v3/customers/upload',
        payload: fits.payload,
        headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': fits.contentType },
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ created: 10 });
    } finally {
      await small.app.close();
    }
    expect(await customersOf(database.db, tenant.business.id)).toHaveLength(10);
  });

  it('counts every failed row but lists the first 1000', async () => {
    const tenant = await createTenant('Import many errors');
    const bad = Array.from({ length: 1200 }, (_, i) => `Orang ${i},bukan-email-${i}`);
    const report = await importCsv(tenant, ['name,email', ...bad, 'Siti,siti@example.test'].join('\n'));
    expect(report).toMatchObject({ rows: 1201, created: 1, failed: 1200 });
    expect(report.errors).toHaveLength(1000);
    expect(report.errors[0]).toEqual({ row: 2, reasons: ['email is not an e-mail address'] });
    expect(report.errors.at(-1)?.row).toBe(1001);
  });

  it('fails a row with a NUL character past the sniffed head, and imports the rest', async () => {
    const tenant = await createTenant('Import NUL');
    const good = Array.from({ length: 300 }, (_, i) => `Orang ${i},orang${i}@example.test,,,,`);
    const nul = [
      'Ad\u0000i,adi@example.test,,,,',
      'Ani,ani@example.test,,vip\u0000,,',
      'Ari,ari@example.test,,,cat\u0000an,',
      'Ayu,,0812\u00003456789,,,',
    ];
    const report = await importCsv(
      tenant,
      ['name,email,phone,tags,notes,address', ...good, ...nul].join('\n'),
    );
    expect(report).toMatchObject({ rows: 304, created: 300, failed: 4 });
    expect(report.errors).toEqual([
      { row: 302, reasons: ['name contains the NUL character'] },
      { row: 303, reasons: ['tags contains the NUL character'] },
      { row: 304, reasons: ['notes contains the NUL character'] },
      { row: 305, reasons: ['phone contains the NUL character'] },
    ]);
  });

  it('reads BOM, CRLF and quoted cells, and reports an unclosed quote as its row', async () => {
    const tenant = await createTenant('Import quirks');
    const csv = [
      '\ufeffNAME,E-Mail,Catatan',
      'Siti,siti@example.test,"satu, dua"',
      '"Budi ""B"" S",budi@example.test,',
      'Rusak,rusak@example.test,"tidak ditutup',
      'Hilang,hilang@example.test,',
    ].join('\r\n');
    const report = await importCsv(tenant, csv);
    expect(report).toMatchObject({ rows: 3, created: 2, failed: 1 });
    expect(report.errors).toEqual([
      { row: 4, reasons: ['a quoted cell is never closed; the rest of the file was not read'] },
    ]);
    const customers = await customersOf(tenant.ctx.database.db, tenant.business.id);
    expect(customers.map((c) => c.name)).toEqual(['Siti', 'Budi "B" S']);
  });

  it('keeps concurrent imports of one file to one customer per person', async () => {
    const tenant = await createTenant('Import concurrent');
    const csv = ['name,email,phone', 'Siti,siti@example.test,', 'Rina,,0813 3333 4444'].join('\n');
    const reports = await Promise.all([importCsv(tenant, csv), importCsv(tenant, csv)]);
    expect(reports.map((r) => r.created).sort()).toEqual([0, 2]);
    expect(await customersOf(tenant.ctx.database.db, tenant.business.id)).toHaveLength(2);
  });
});

describe('importCustomers across batches', () => {
  async function run(tenant: Tenant, lines: string[], batchSize: number) {
    const progress: { rows: number; bytes: number }[] = [];
    const report = await importCustomers(
      tenant.ctx.database.db,
      tenant.business.id,
      Readable.from([lines.join('\n')]),
      {
        batchSize,
        onProgress: ({ rows, bytes }) => progress.push({ rows, bytes }),
      },
    );
    return { report, progress };
  }

  it('counts a customer once when their rows fall in different batches', async () => {
    const tenant = await createTenant('Import batches');
    const lines = [
      'name,email,phone,tags',
      'Ani,ani@example.test,0811-111-111,a',
      'Beni,beni@example.test,,',
      'Cici,,0822 2222 2222,',
      'Ani,ani@example.test,,b',
      'Ani Lagi,,0811111111,c',
      'Dodi,dodi@example.test,,',
    ];
    const { report, progress } = await run(tenant, lines, 2);
    expect(report).toEqual({ rows: 6, created: 4, updated: 0, duplicates: 2, failed: 0, errors: [] });
    expect(progress.map((p) => p.rows)).toEqual([2, 4, 6, 6]);
    expect(progress.every((p, i) => i === 0 || p.bytes >= progress[i - 1]!.bytes)).toBe(true);
    const customers = await customersOf(tenant.ctx.database.db, tenant.business.id);
    expect(customers.map((c) => [c.name, c.tags])).toEqual([
      ['Ani Lagi', ['a', 'b', 'c']],
      ['Beni', []],
      ['Cici', []],
      ['Dodi', []],
    ]);
  });
});
