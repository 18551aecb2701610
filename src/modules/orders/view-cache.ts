/**
 * Business views of orders already serialized, by order and version, least recently used first out
 * past a byte budget (`NEXUS_ORDER_VIEW_CACHE_MB`, 0 turns it off).
 *
 * A view is current while its version is: the `xmin` of the order's row and of every row it joins
 * (store, business, page, warehouse, bank, members), read together each time (list-queries.ts
 * `businessOrderVersions`). Any update of any of those rows gives it a new `xmin`, and a transaction's
 * rows are seen only once it commits, so a version names one committed content. An order's lines
 * are written only with its row, and its history only with an update of its row that stamps the
 * status time; history names members as they were named then (migration 0030). So a listed order is
 * serialized once per change and sent as stored until its row, or a row it names, changes.
 */
export class OrderViewCache {
  private readonly entries = new Map<string, { version: string; json: string }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  get(key: string, version: string): string | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.version !== version) return undefined;
    // Most recently used last: a Map iterates in insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.json;
  }

  set(key: string, version: string, json: string): void {
    if (!this.enabled) return;
    this.remove(key);
    const size = sizeOf(key, json);
    if (size > this.maxBytes) return;
    this.entries.set(key, { version, json });
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(oldest, entry.json);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(key, entry.json);
  }
}

/** Roughly what an entry holds: two bytes per character of its strings, and the entry itself. */
const sizeOf = (key: string, json: string) => 2 * (key.length + json.length) + 64;
