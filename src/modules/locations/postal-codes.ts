import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { getVillages } from 'idn-area-data';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { refreshSearchText, titleCase } from './regions.ts';

/**
 * Imports postal codes with their urban (kelurahan/desa) names from a CSV shaped like
 * `id,urban,sub_district,city,province_code,postal_code` (the MIT-licensed id-postal-codes.csv the
 * repository ships gzip-compressed): plain, gzip (`.gz`, or gzip's magic bytes) or brotli (`.br`).
 * That file names places, not codes, and predates the 2022 Papua provinces, so each row is matched
 * to a subdistrict location by name: province (or its successors) + city + subdistrict first, then
 * subdistrict alone, then the urban name against the official village list, then a near spelling.
 * Re-running is safe: existing (location, urban, postal code) rows are left as they are.
 */

export interface PostalImportReport {
  rows: number;
  matched: number;
  inserted: number;
  unmatched: number;
  unmatchedSamples: string[];
}

export interface PostalImportOptions {
  onProgress?: (rowsRead: number) => void;
}

/** Provinces split since the file was made: old code -> every current code that was part of it. */
const PROVINCE_SUCCESSORS: Record<number, number[]> = { 91: [91, 93, 94, 95], 92: [92, 96] };

const REQUIRED_COLUMNS = ['urban', 'sub_district', 'city', 'province_code', 'postal_code'] as const;

/** Letters and digits only, upper-cased: `Kota Adm. Jakarta-Pusat` and `KOTA ADM JAKARTA PUSAT` agree. */
export function normalizeName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** `Kabupaten Lima Puluh Kota` -> `LIMAPULUHKOTA`; the file names cities without their kind. */
function cityKey(name: string): string {
  return normalizeName(name.replace(/^\s*(kabupaten|kota)\s+(administrasi\s+)?/i, ''));
}

/** Splits one CSV line, honouring double quotes and doubled quotes inside them. */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

function levenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    previous = current;
  }
  return previous[b.length] ?? max + 1;
}

interface LocationName {
  id: number;
  province_id: number;
  city: string;
  subdistrict: string;
}

class LocationMatcher {
  private readonly byCityAndSubdistrict = new Map<string, number[]>();
  private readonly bySubdistrict = new Map<string, number[]>();
  private readonly byProvince = new Map<number, LocationName[]>();
  private villages: Map<string, number[]> | undefined;
  private readonly memo = new Map<string, number[]>();

  constructor(locations: LocationName[]) {
    for (const location of locations) {
      const push = (map: Map<string, number[]>, key: string) =>
        map.set(key, [...(map.get(key) ?? []), location.id]);
      push(this.byCityAndSubdistrict, `${location.province_id}|${location.city}|${location.subdistrict}`);
      push(this.bySubdistrict, `${location.province_id}|${location.subdistrict}`);
      this.byProvince.set(location.province_id, [
        ...(this.byProvince.get(location.province_id) ?? []),
        location,
      ]);
    }
  }

  /** `SIMPANG KRAMAT (KERAMAT)` is tried as written, without the aside, and as the aside. */
  private static spellings(subdistrict: string): string[] {
    const aside = subdistrict.match(/\(([^)]*)\)/)?.[1] ?? '';
    const variants = [subdistrict, subdistrict.replace(/\([^)]*\)/g, ''), aside].map(normalizeName);
    return [...new Set(variants.filter(Boolean))];
  }

  async match(provinceCode: number, city: string, subdistrictName: string, urban: string): Promise<number[]> {
    const provinces = PROVINCE_SUCCESSORS[provinceCode] ?? [provinceCode];
    const memoKey = `${provinceCode}|${city}|${subdistrictName}`;
    const memoized = this.memo.get(memoKey);
    if (memoized) return memoized;

    const lookup = (map: Map<string, number[]>, suffix: string) =>
      provinces.flatMap((province) => map.get(`${province}|${suffix}`) ?? []);
    let found: number[] = [];
    for (const subdistrict of LocationMatcher.spellings(subdistrictName)) {
      found = lookup(this.byCityAndSubdistrict, `${city}|${subdistrict}`);
      if (found.length === 0) {
        const bySubdistrict = lookup(this.bySubdistrict, subdistrict);
        if (bySubdistrict.length === 1) found = bySubdistrict;
      }
      if (found.length === 0) found = this.nearSpelling(provinces, city, subdistrict);
      if (found.length > 0) break;
    }
    if (found.length > 0) {
      this.memo.set(memoKey, found);
      return found;
    }
    // Village names pin the subdistrict when its own name changed; they vary per row, so no memo.
    const villages = await this.villageIndex();
    const byVillage = [
      ...new Set(provinces.flatMap((province) => villages.get(`${province}|${urban}`) ?? [])),
    ];
    return byVillage.length === 1 ? byVillage : [];
  }

  private nearSpelling(provinces: number[], city: string, subdistrict: string): number[] {
    let best: number[] = [];
    let bestDistance = 3;
    for (const province of provinces) {
      for (const location of this.byProvince.get(province) ?? []) {
        if (location.city !== city) continue;
        const distance = levenshtein(location.subdistrict, subdistrict, 2);
        if (distance < bestDistance) {
          bestDistance = distance;
          best = [location.id];
        } else if (distance === bestDistance) best.push(location.id);
      }
    }
    return best.length === 1 ? best : [];
  }

  private async villageIndex(): Promise<Map<string, number[]>> {
    if (this.villages) return this.villages;
    const index = new Map<string, number[]>();
    for (const village of await getVillages()) {
      const [province, regency, district] = village.district_code.split('.');
      const key = `${Number(province)}|${normalizeName(village.name)}`;
      const locationId = Number(`${province}${regency}${district}`);
      index.set(key, [...(index.get(key) ?? []), locationId]);
    }
    this.villages = index;
    return index;
  }
}

const BATCH = 1000;

const GZIP_MAGIC = [0x1f, 0x8b];

function startsWithGzipMagic(file: string): boolean {
  const head = Buffer.alloc(2);
  const fd = fs.openSync(file, 'r');
  try {
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The file's text, decompressed while it streams (the shipped file is 0.8 MB compressed, 3.7 MB
 * plain). A read or decompression error ends the stream with that error, so the import fails loudly.
 */
function openText(file: string): Readable {
  const raw = fs.createReadStream(file);
  const decompress = /\.br$/i.test(file)
    ? zlib.createBrotliDecompress()
    : /\.gz$/i.test(file) || startsWithGzipMagic(file)
      ? zlib.createGunzip()
      : undefined;
  if (!decompress) return raw.setEncoding('utf8');
  pipeline(raw, decompress, () => {});
  return decompress.setEncoding('utf8');
}

export async function postalCodesLoaded(db: Db): Promise<boolean> {
  return Boolean(await db.selectFrom('postal_codes').select('id').limit(1).executeTakeFirst());
}

export async function importPostalCodes(
  db: Db,
  file: string,
  options: PostalImportOptions = {},
): Promise<PostalImportReport> {
  if (!fs.existsSync(file)) throw new Error(`Postal code file not found: ${file}`);
  const locations = await db
    .selectFrom('locations')
    .select(['id', 'province_id', 'city_name', 'subdistrict_name'])
    .execute();
  if (locations.length === 0) throw new Error('No regions loaded yet; run `nexus migrate` first');
  const matcher = new LocationMatcher(
    locations.map((l) => ({
      id: l.id,
      province_id: l.province_id,
      city: cityKey(l.city_name),
      subdistrict: normalizeName(l.subdistrict_name),
    })),
  );

  const report: PostalImportReport = { rows: 0, matched: 0, inserted: 0, unmatched: 0, unmatchedSamples: [] };
  let columns: Map<string, number> | undefined;
  let batch: Array<{ location_id: number; postal_code: string; urban: string }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await db
      .insertInto('postal_codes')
      .values(batch)
      .onConflict((oc) => oc.columns(['location_id', 'urban', 'postal_code']).doNothing())
      .executeTakeFirst();
    report.inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
    batch = [];
  };

  const lines = readline.createInterface({
    input: openText(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const fields = parseCsvLine(line);
    if (!columns) {
      columns = new Map(fields.map((name, i) => [name.trim().toLowerCase(), i]));
      const missing = REQUIRED_COLUMNS.filter((column) => !columns?.has(column));
      if (missing.length) throw new Error(`${file}: missing column(s) ${missing.join(', ')}`);
      continue;
    }
    // The reference file writes apostrophes as backslashes (`COT BA\U` is Cot Ba'u).
    const get = (column: (typeof REQUIRED_COLUMNS)[number]) =>
      (fields[columns?.get(column) ?? -1] ?? '').trim().replaceAll('\\', "'");
    report.rows++;
    const postalCode = get('postal_code');
    const urban = get('urban');
    const provinceCode = Number(get('province_code'));
    const ids =
      /^\d{5}$/.test(postalCode) && urban && Number.isInteger(provinceCode)
        ? await matcher.match(provinceCode, cityKey(get('city')), get('sub_district'), normalizeName(urban))
        : [];
    if (ids.length === 0) {
      report.unmatched++;
      if (report.unmatchedSamples.length < 20) report.unmatchedSamples.push(line);
    } else {
      report.matched++;
      for (const locationId of ids)
        batch.push({ location_id: locationId, postal_code: postalCode, urban: titleCase(urban) });
      if (batch.length >= BATCH) await flush();
    }
    if (report.rows % 5000 === 0) options.onProgress?.(report.rows);
  }
  await flush();
  options.onProgress?.(report.rows);
  await refreshSearchText(db);
  // Fresh statistics let the planner use the trigram index for location search right away.
  await sql`analyze locations, postal_codes`.execute(db);
  return report;
}
