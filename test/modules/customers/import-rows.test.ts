import { describe, expect, it } from 'vitest';
import { phoneKeyOf } from '../../../src/lib/contact.ts';
import {
  type ColumnMap,
  mergeRows,
  readHeader,
  readRow,
  rowKey,
} from '../../../src/modules/customers/import-rows.ts';

const TODAY = '2026-06-01';
const HEADER = [
  'name',
  'email',
  'phone',
  'tags',
  'notes',
  'date_of_birth',
  'sex',
  'address',
  'postal_code',
  'location_id',
];

function columns(header = HEADER): ColumnMap {
  const result = readHeader(header);
  if (!result.ok) throw new Error(result.problem);
  return result.columns;
}

function row(cells: Partial<Record<string, string>>) {
  return HEADER.map((name) => cells[name] ?? '');
}

function valid(cells: Partial<Record<string, string>>) {
  const result = readRow(row(cells), columns(), 7, TODAY);
  if (!result.ok) throw new Error(result.reasons.join(', '));
  return result.value;
}

function reasons(cells: Partial<Record<string, string>>) {
  const result = readRow(row(cells), columns(), 7, TODAY);
  return result.ok ? [] : result.reasons;
}

describe('customer import header', () => {
  it('reads names case-insensitively, accepts order vocabulary and ignores unknown columns', () => {
    expect(readHeader([' Customer Name ', 'E-Mail', 'PHONE', 'Source', 'Date of Birth'])).toEqual({
      ok: true,
      columns: { name: 0, email: 1, phone: 2, date_of_birth: 4 },
    });
    expect(readHeader(['Name', 'customer_phone'])).toEqual({ ok: true, columns: { name: 0, phone: 1 } });
  });

  it('needs a name column, an email or phone column, and no column twice', () => {
    expect(readHeader(['email', 'phone'])).toEqual({
      ok: false,
      problem: 'has no name column in its header row',
    });
    expect(readHeader(['name', 'notes'])).toEqual({
      ok: false,
      problem: 'has neither an email nor a phone column in its header row',
    });
    expect(readHeader(['name', 'email', 'Customer_Email'])).toEqual({
      ok: false,
      problem: 'has the email column twice',
    });
  });
});

describe('customer import row', () => {
  it('normalizes a full row', () => {
    expect(
      valid({
        name: ' Siti Lestari ',
        email: ' Siti@Example.TEST ',
        phone: '+62 812-3456 7890',
        tags: 'vip; reseller |VIP||  grosir ',
        notes: 'Suka "kue"',
        date_of_birth: '1990-02-28',
        sex: 'Perempuan',
        address: 'Jl. Merdeka 1',
        postal_code: '10110',
        location_id: '3171010',
      }),
    ).toEqual({
      row: 7,
      name: 'Siti Lestari',
      email: 'siti@example.test',
      phone: '+62 812-3456 7890',
      phoneKey: '+6281234567890',
      tags: ['vip', 'reseller', 'grosir'],
      notes: 'Suka "kue"',
      dateOfBirth: '1990-02-28',
      sex: 'perempuan',
      address: { address: 'Jl. Merdeka 1', postalCode: '10110', locationId: 3171010 },
    });
  });

  it('keeps empty cells empty', () => {
    expect(valid({ name: 'Budi', phone: '0812 3456 789' })).toMatchObject({
      email: null,
      phoneKey: '08123456789',
      tags: [],
      notes: null,
      dateOfBirth: null,
      sex: null,
      address: null,
    });
  });

  it('lists every problem of a row, each naming its column', () => {
    expect(
      reasons({
        email: 'siti@',
        phone: 'call me',
        date_of_birth: '1990-02-30',
        sex: 'x'.repeat(33),
        postal_code: '10110',
      }),
    ).toEqual([
      "name can't be blank",
      'email is not an e-mail address',
      'phone is not a phone number',
      'date_of_birth is not a date (YYYY-MM-DD)',
      'sex is longer than 32 characters',
      "address can't be blank when postal_code or location_id is given",
    ]);
    expect(reasons({ name: 'Budi' })).toEqual(['email or phone is required to identify the customer']);
    expect(reasons({ name: 'Budi', phone: '(--) ...' })).toEqual(['phone is not a phone number']);
    expect(reasons({ name: 'Budi', email: 'b@x.test', date_of_birth: '2026-06-02' })).toEqual([
      'date_of_birth is in the future',
    ]);
    expect(reasons({ name: 'Budi', email: 'b@x.test', date_of_birth: '02/01/1990' })).toEqual([
      'date_of_birth is not a date (YYYY-MM-DD)',
    ]);
    expect(reasons({ name: 'x'.repeat(256), email: 'b@x.test' })).toEqual([
      'name is longer than 255 characters',
    ]);
    expect(reasons({ name: 'Budi\u0007', email: 'b@x.test' })).toEqual(['name contains control characters']);
    expect(reasons({ name: 'Budi', email: 'b@x.test', address: 'Jl. A', location_id: 'Menteng' })).toEqual([
      'location_id is not a location id',
    ]);
    expect(reasons({ name: 'Budi', email: 'b@x.test', tags: `ok;${'t'.repeat(51)}` })).toEqual([
      `tags "${'t'.repeat(20)}…" is longer than 50 characters`,
    ]);
  });

  it('reads cells missing at the end of a short record as empty', () => {
    const result = readRow(['Budi', 'budi@example.test'], columns(), 3, TODAY);
    expect(result.ok && result.value.phone).toBeNull();
  });
});

describe('rows for one customer', () => {
  it('are keyed by e-mail, else by the digits of the phone', () => {
    expect(rowKey(valid({ name: 'A', email: 'A@X.test', phone: '0812' + '345678' }))).toBe('e:a@x.test');
    expect(rowKey(valid({ name: 'A', phone: '+62 812 345 678' }))).toBe('p:+62812345678');
    expect(phoneKeyOf('(0812) 345.678')).toBe('0812345678');
  });

  it('merge with the later filled cells winning and tags adding up', () => {
    const earlier = valid({
      name: 'Siti',
      email: 's@x.test',
      phone: '081234567',
      tags: 'vip',
      notes: 'first',
      sex: 'f',
      address: 'Jl. A',
    });
    const later = valid({
      name: 'Siti L.',
      email: 's@x.test',
      tags: 'reseller;VIP',
      date_of_birth: '1990-01-01',
    });
    expect(mergeRows(earlier, later)).toEqual({
      ...earlier,
      name: 'Siti L.',
      tags: ['vip', 'reseller'],
      dateOfBirth: '1990-01-01',
    });
  });
});
