import type { Kysely } from 'kysely';

/** Reserved for the checkout module; filled in with its tables. */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
