/**
 * Runs a bounded delete (`limit` rows per statement) until a statement deletes fewer than `limit`:
 * retention never holds locks on, or rewrites, a whole table at once. Returns the rows deleted.
 */
export async function deleteInBatches(
  deleteBatch: (limit: number) => Promise<number>,
  limit = 1000,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const n = await deleteBatch(limit);
    deleted += n;
    if (n < limit) return deleted;
  }
}
