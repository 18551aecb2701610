import { createRequire } from 'node:module';
import { getDistricts, getProvinces, getRegencies } from 'idn-area-data';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * Indonesia's administrative regions from the `idn-area-data` package: provinces, cities
 * (kabupaten/kota) and subdistricts (kecamatan). A subdistrict is a delivery *location*; its
 * numeric id is its official code without dots (31.71.05 -> 317105), so ids are stable across
 * installations and re-imports.
 */

const DATA_VERSION: string = createRequire(import.meta.url)('idn-area-data/package.json').version;
const SETTING = 'regions_version';

const ACRONYMS = new Set(['DKI', 'DI', 'II', 'III', 'IV']);

/** `KOTA ADMINISTRASI JAKARTA PUSAT` -> `Kota Administrasi Jakarta Pusat`, keeping acronyms like DKI. */
export function titleCase(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[a-z0-9'"]+/g, (word) => {
      const upper = word.toUpperCase();
      if (ACRONYMS.has(upper)) return upper;
      return word.charAt(0).toUpperCase() + word.slice(1);
    });
}

/** Official code (`31.71.05`) -> legacy numeric id (`317105`). */
export function codeToId(code: string): number {
  return Number(code.replaceAll('.', ''));
}

/** `KOTA ADMINISTRASI JAKARTA PUSAT` -> `Kota Jakarta Pusat`: buyers write the short form. */
export function cityDisplayName(officialName: string): string {
  return titleCase(officialName.replace(/\bADMINISTRASI\s+/i, ''));
}

export function searchText(parts: readonly string[]): string {
  return parts.join(' ').toLowerCase().replace(/\s+/g, ' ').trim();
}

const BATCH = 1000;

/**
 * Upserts the regions when the installed package version differs from the one last loaded.
 * Search text starts with the region names; postal-code imports add urban names to it.
 */
export async function loadRegions(db: Db): Promise<{ changed: boolean }> {
  const loaded = await db
    .selectFrom('nexus_settings')
    .select('value')
    .where('key', '=', SETTING)
    .executeTakeFirst();
  if (loaded?.value === DATA_VERSION) return { changed: false };

  const [provinces, regencies, districts] = await Promise.all([
    getProvinces(),
    getRegencies(),
    getDistricts(),
  ]);
  const provinceNames = new Map(provinces.map((p) => [p.code, titleCase(p.name)]));
  const cities = regencies.map((r) => ({
    id: codeToId(r.code),
    province_id: codeToId(r.province_code),
    name: cityDisplayName(r.name),
    code: r.code,
  }));
  const cityByCode = new Map(cities.map((c) => [c.code, c]));

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('provinces')
      .values(provinces.map((p) => ({ id: codeToId(p.code), name: provinceNames.get(p.code) ?? p.name })))
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: (eb) => eb.ref('excluded.name') }))
      .execute();
    await trx
      .insertInto('cities')
      .values(cities.map(({ id, province_id, name }) => ({ id, province_id, name })))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: (eb) => eb.ref('excluded.name'),
          province_id: (eb) => eb.ref('excluded.province_id'),
        }),
      )
      .execute();
    for (let i = 0; i < districts.length; i += BATCH) {
      const rows = districts.slice(i, i + BATCH).flatMap((d) => {
        const city = cityByCode.get(d.regency_code);
        if (!city) return [];
        const provinceName = provinceNames.get(String(city.province_id)) ?? '';
        const subdistrict = titleCase(d.name);
        return [
          {
            id: codeToId(d.code),
            province_id: city.province_id,
            city_id: city.id,
            province_name: provinceName,
            city_name: city.name,
            subdistrict_name: subdistrict,
            display: `${subdistrict}, ${city.name}, ${provinceName}`,
            search_text: searchText([subdistrict, city.name, provinceName]),
          },
        ];
      });
      await trx
        .insertInto('locations')
        .values(rows)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            province_id: (eb) => eb.ref('excluded.province_id'),
            city_id: (eb) => eb.ref('excluded.city_id'),
            province_name: (eb) => eb.ref('excluded.province_name'),
            city_name: (eb) => eb.ref('excluded.city_name'),
            subdistrict_name: (eb) => eb.ref('excluded.subdistrict_name'),
            display: (eb) => eb.ref('excluded.display'),
          }),
        )
        .execute();
    }
    await refreshSearchText(trx);
    await trx
      .insertInto('nexus_settings')
      .values({ key: SETTING, value: DATA_VERSION })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: DATA_VERSION }))
      .execute();
  });
  await sql`analyze provinces, cities, locations`.execute(db);
  return { changed: true };
}

/** Rebuilds every location's search text from its names and the urban names of its postal codes. */
export async function refreshSearchText(db: Db): Promise<void> {
  await sql`
    update locations l
       set search_text = lower(concat_ws(' ', l.subdistrict_name, l.city_name, l.province_name, u.urbans))
      from (
        select l2.id, string_agg(distinct p.urban, ' ') as urbans
          from locations l2
          left join postal_codes p on p.location_id = l2.id
         group by l2.id
      ) u
     where u.id = l.id`.execute(db);
}
