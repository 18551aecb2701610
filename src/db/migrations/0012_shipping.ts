import { type Kysely, sql } from 'kysely';

/**
 * Couriers and their services (platform reference data: the contract's CourierCode enum, ids are
 * the `courier_service_id` clients send back at checkout, so they are fixed here and never reused),
 * and the couriers each store offers. A store without `store_couriers` rows offers every courier.
 * Prices and delivery estimates are not stored: they come from the shipping provider per request.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table couriers (
      id integer primary key,
      code text not null unique,
      name text not null,
      courier_type text not null default 'standard' check (courier_type in ('instant', 'cashless', 'standard'))
    )`.execute(db);
  await sql`
    insert into couriers (id, code, name) values
      (1, 'ninja', 'Ninja Xpress'),
      (2, 'ide', 'ID Express'),
      (3, 'sicepat', 'SiCepat'),
      (4, 'sap', 'SAP Express'),
      (5, 'ncs', 'NCS Kurir'),
      (6, 'anteraja', 'AnterAja'),
      (7, 'sentral', 'Sentral Cargo'),
      (8, 'jne', 'JNE'),
      (9, 'jnt', 'J&T Express'),
      (10, 'pos', 'Pos Indonesia'),
      (11, 'lion', 'Lion Parcel'),
      (12, 'rex', 'Royal Express Indonesia'),
      (13, 'jtl', 'JTL Express'),
      (14, 'tiki', 'TIKI'),
      (15, 'rpx', 'RPX'),
      (16, 'pandu', 'Pandu Logistics'),
      (17, 'wahana', 'Wahana Express'),
      (18, 'pahala', 'Pahala Express'),
      (19, 'jet', 'JET Express'),
      (20, 'slis', 'Solusi Ekspres'),
      (21, 'dse', '21 Express'),
      (22, 'first', 'First Logistics'),
      (23, 'star', 'Star Cargo'),
      (24, 'idl', 'IDL Cargo')`.execute(db);

  await sql`
    create table courier_services (
      id integer primary key,
      courier_code text not null references couriers(code),
      service_code text not null,
      name text not null,
      is_cod_supported boolean not null default false,
      is_pickup boolean not null default true,
      is_active boolean not null default true,
      unique (courier_code, service_code)
    )`.execute(db);
  await sql`
    insert into courier_services (id, courier_code, service_code, name, is_cod_supported) values
      (1, 'ninja', 'STANDARD', 'Ninja Standard', true),
      (2, 'ide', 'STD', 'iDexpress Standard', true),
      (3, 'sicepat', 'REG', 'SiCepat Reguler', true),
      (4, 'sicepat', 'BEST', 'Besok Sampai Tujuan', true),
      (5, 'sicepat', 'HALU', 'Harga Selalu Untung', true),
      (6, 'sicepat', 'GOKIL', 'SiCepat Cargo', false),
      (7, 'sap', 'REG', 'SAP Regular', true),
      (8, 'sap', 'ODS', 'SAP One Day Service', false),
      (9, 'ncs', 'REG', 'NCS Regular', false),
      (10, 'ncs', 'ONS', 'NCS Overnight Service', false),
      (11, 'anteraja', 'REG', 'AnterAja Regular', true),
      (12, 'anteraja', 'ND', 'AnterAja Next Day', false),
      (13, 'anteraja', 'SD', 'AnterAja Same Day', false),
      (14, 'sentral', 'REG', 'Sentral Cargo Regular', false),
      (15, 'jne', 'REG', 'JNE Reguler', true),
      (16, 'jne', 'YES', 'JNE Yakin Esok Sampai', false),
      (17, 'jne', 'OKE', 'JNE Ongkos Kirim Ekonomis', true),
      (18, 'jne', 'JTR', 'JNE Trucking', false),
      (19, 'jnt', 'EZ', 'J&T EZ', true),
      (20, 'pos', 'REG', 'Pos Reguler', true),
      (21, 'pos', 'NEXTDAY', 'Pos Nextday', false),
      (22, 'pos', 'KARGO', 'Pos Kargo', false),
      (23, 'lion', 'REGPACK', 'Lion Regpack', true),
      (24, 'lion', 'ONEPACK', 'Lion Onepack', false),
      (25, 'lion', 'JAGOPACK', 'Lion Jagopack', true),
      (26, 'lion', 'BIGPACK', 'Lion Bigpack', false),
      (27, 'rex', 'REG', 'REX Regular', false),
      (28, 'jtl', 'REG', 'JTL Regular', false),
      (29, 'tiki', 'REG', 'TIKI Regular', false),
      (30, 'tiki', 'ONS', 'TIKI Over Night Service', false),
      (31, 'tiki', 'ECO', 'TIKI Economy', false),
      (32, 'tiki', 'TRC', 'TIKI Trucking', false),
      (33, 'rpx', 'RGP', 'RPX Regular Package', false),
      (34, 'rpx', 'NDP', 'RPX Next Day Package', false),
      (35, 'pandu', 'REG', 'Pandu Regular', false),
      (36, 'wahana', 'NORMAL', 'Wahana Normal', false),
      (37, 'pahala', 'REG', 'Pahala Regular', false),
      (38, 'jet', 'REG', 'JET Regular', true),
      (39, 'jet', 'CRG', 'JET Cargo', false),
      (40, 'slis', 'REG', 'SLIS Regular', false),
      (41, 'dse', 'REG', '21 Express Regular', false),
      (42, 'dse', 'ONS', '21 Express Overnight', false),
      (43, 'first', 'REG', 'First Regular', false),
      (44, 'first', 'ONS', 'First Overnight', false),
      (45, 'star', 'REG', 'Star Cargo Regular', false),
      (46, 'idl', 'REG', 'IDL Regular', false),
      (47, 'idl', 'CRG', 'IDL Cargo', false)`.execute(db);

  // The couriers a store offers; checkout reads them per store, the CLI replaces the whole set.
  await sql`
    create table store_couriers (
      store_id bigint not null references stores(id) on delete cascade,
      courier_code text not null references couriers(code),
      business_id bigint not null references businesses(id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (store_id, courier_code)
    )`.execute(db);
  await sql`create index store_couriers_business on store_couriers (business_id, store_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists store_couriers`.execute(db);
  await sql`drop table if exists courier_services`.execute(db);
  await sql`drop table if exists couriers`.execute(db);
}
