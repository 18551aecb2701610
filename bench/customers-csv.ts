import { once } from 'node:events';
import fs from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * `npx tsx bench/customers-csv.ts [--rows 100000] [--out customers-100k.csv] [--seed 1]`
 *
 * Writes a customer CSV for `nexus customers import` (streamed to disk, never built in memory),
 * deterministic for a seed. Of the rows, about 2% have no e-mail (matched on phone), 1% repeat an
 * earlier customer with another tag (counted as duplicates), 1% are invalid (no name, a broken
 * e-mail or phone), and 30% carry an address. The file's header mixes case and adds a column the
 * import ignores, as spreadsheet exports do. Counts are printed to stderr.
 */

const USAGE = 'usage: npx tsx bench/customers-csv.ts [--rows 100000] [--out customers-100k.csv] [--seed 1]\n';

const FIRST = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rudi', 'Ayu', 'Andi', 'Rina', 'Eko', 'Putri', 'Joko', 'Lina'];
const LAST = ['Santoso', 'Wijaya', 'Pratama', 'Lestari', 'Hidayat', 'Saputra', 'Kusuma', 'Nugroho'];
const TAGS = ['vip', 'reseller', 'jakarta', 'bandung', 'newsletter', 'grosir', 'promo-lebaran'];
const STREETS = ['Jl. Merdeka', 'Jl. Sudirman', 'Jl. Diponegoro', 'Jl. Gatot Subroto', 'Jl. Ahmad Yani'];

/** mulberry32: small, fast and deterministic. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      rows: { type: 'string', default: '100000' },
      out: { type: 'string', default: 'customers-100k.csv' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1 || rows > 10_000_000) throw new Error('--rows must be 1..10000000');
  return { rows, out: values.out, seed: Number(values.seed) || 1 };
}

async function main(): Promise<void> {
  const { rows, out, seed } = options();
  const next = random(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)] as T;
  const file = fs.createWriteStream(out);
  const write = async (line: string) => {
    if (!file.write(`${line}\n`)) await once(file, 'drain');
  };
  const counts = { rows: 0, phoneOnly: 0, duplicates: 0, invalid: 0, withAddress: 0 };

  await write('Name,EMAIL,Phone,Tags,Notes,Date_Of_Birth,Sex,Address,Postal_Code,Source');
  for (let i = 1; i <= rows; i++) {
    const roll = next();
    let id = i;
    if (roll < 0.01 && i > 10) {
      id = 1 + Math.floor(next() * (i - 1));
      counts.duplicates++;
    }
    const name = `${pick(FIRST)} ${pick(LAST)} ${id}`;
    let email = `customer${id}@example.test`;
    let phone = `08${String(1_000_000_000 + id * 7).slice(0, 10)}`;
    let cellName = name;
    if (roll >= 0.01 && roll < 0.03) {
      email = '';
      phone = `+62 81${String(id).padStart(9, '0')}`;
      counts.phoneOnly++;
    } else if (roll >= 0.03 && roll < 0.04) {
      const broken = Math.floor(next() * 3);
      if (broken === 0) cellName = '';
      else if (broken === 1) email = `customer${id}.example.test`;
      else phone = 'call me';
      counts.invalid++;
    }
    const tags = [pick(TAGS), ...(next() < 0.3 ? [pick(TAGS)] : [])].join(';');
    const notes = next() < 0.1 ? `Pelanggan sejak ${2015 + Math.floor(next() * 10)}, "langganan"` : '';
    const dob =
      next() < 0.5
        ? `19${60 + Math.floor(next() * 40)}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`
        : '';
    const sex = next() < 0.5 ? pick(['male', 'female']) : '';
    const hasAddress = next() < 0.3;
    if (hasAddress) counts.withAddress++;
    const address = hasAddress
      ? `${pick(STREETS)} No. ${1 + Math.floor(next() * 200)}, RT 0${1 + Math.floor(next() * 9)}`
      : '';
    const postal = hasAddress ? String(10000 + Math.floor(next() * 89999)) : '';
    await write(
      [cellName, email, phone, tags, notes, dob, sex, address, postal, 'bench'].map(csvCell).join(','),
    );
    counts.rows++;
  }
  file.end();
  await once(file, 'finish');
  const size = fs.statSync(out).size;
  process.stderr.write(
    `customers-csv: wrote ${out} (${(size / 1024 / 1024).toFixed(1)} MB): ${JSON.stringify(counts)}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`customers-csv: ${(error as Error).message}\n${USAGE}`);
  process.exit(1);
});
