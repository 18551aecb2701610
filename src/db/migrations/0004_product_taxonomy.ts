import { type Kysely, sql } from 'kysely';
import { readTaxonomyFile } from '../../modules/products/taxonomy-data.ts';

/** Rows per INSERT: 5,582 categories in a dozen statements, well under PostgreSQL's parameter limit. */
const BATCH = 500;

/**
 * Loads Google's product taxonomy (see src/modules/products/reference/README.md) into the
 * product_taxonomies table created by 0003, and adds the indexes the products lists filter with.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const rows = readTaxonomyFile();
  for (let start = 0; start < rows.length; start += BATCH) {
    const values = rows.slice(start, start + BATCH).map(
      (r) =>
        sql`(${r.id}, ${r.parent_id}, ${r.name}, ${r.full_path}, ${r.level}, ${r.level_1}, ${r.level_2},
            ${r.level_3}, ${r.level_4}, ${r.level_5}, ${r.level_6}, ${r.level_7})`,
    );
    await sql`insert into product_taxonomies
      (id, parent_id, name, full_path, level, level_1, level_2, level_3, level_4, level_5, level_6, level_7)
      values ${sql.join(values)}`.execute(db);
  }
  // listProductTaxonomies pages by full_path in byte order, the same on every PostgreSQL.
  await sql`create unique index product_taxonomies_full_path on product_taxonomies ((full_path collate "C"), id)`.execute(
    db,
  );

  // listProducts' boolean filters keep the id-descending page order inside each value.
  await sql`create index products_business_inventory on products (business_id, is_inventory, id desc)`.execute(
    db,
  );
  await sql`create index products_business_sharing on products (business_id, is_product_sharing, id desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists products_business_sharing`.execute(db);
  await sql`drop index if exists products_business_inventory`.execute(db);
  await sql`drop index if exists product_taxonomies_full_path`.execute(db);
  await sql`update products set taxonomy_id = null where taxonomy_id is not null`.execute(db);
  await sql`delete from product_taxonomies`.execute(db);
}
