import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/http/errors.ts';
import { CursorCodec, cursorScope, paginate } from '../../src/http/pagination.ts';

const codec = new CursorCodec(randomBytes(32));
const rows = Array.from({ length: 7 }, (_, i) => ({ id: i + 1 }));

/** An in-memory keyset source ordered by id ascending. */
function source(window: { values: (string | number)[] | null; backward: boolean; limit: number }) {
  const after = window.values ? Number(window.values[0]) : null;
  const picked = window.backward
    ? rows.filter((row) => after === null || row.id < after).reverse()
    : rows.filter((row) => after === null || row.id > after);
  return Promise.resolve(picked.slice(0, window.limit));
}

const page = (params: { page_size?: number; next_cursor?: string; previous_cursor?: string }) =>
  paginate({
    codec,
    scope: 'test|a',
    page: params,
    defaultPageSize: 3,
    fetch: source,
    keyOf: (r) => [r.id],
    map: (r) => r.id,
  });

function expectInvalidCursor(promise: Promise<unknown>) {
  return expect(promise).rejects.toSatisfy(
    (error: unknown) => error instanceof ApiError && error.code === 'invalid_cursor',
  );
}

describe('cursor pagination', () => {
  it('walks forwards and backwards without gaps or overlaps', async () => {
    const first = await page({});
    expect(first).toMatchObject({
      data: [1, 2, 3],
      has_next: true,
      has_previous: false,
      previous_cursor: null,
      page_size: 3,
    });
    const second = await page({ next_cursor: first.next_cursor! });
    expect(second).toMatchObject({ data: [4, 5, 6], has_next: true, has_previous: true });
    const third = await page({ next_cursor: second.next_cursor! });
    expect(third).toMatchObject({ data: [7], has_next: false, next_cursor: null, has_previous: true });
    const back = await page({ previous_cursor: third.previous_cursor! });
    expect(back).toMatchObject({ data: [4, 5, 6], has_next: true, has_previous: true });
    const start = await page({ previous_cursor: back.previous_cursor! });
    expect(start).toMatchObject({
      data: [1, 2, 3],
      has_previous: false,
      previous_cursor: null,
      has_next: true,
    });
  });

  it('rejects forged, tampered and foreign cursors', async () => {
    const first = await page({});
    const cursor = first.next_cursor!;
    await expectInvalidCursor(page({ next_cursor: 'garbage' }));
    await expectInvalidCursor(
      page({ next_cursor: `${Buffer.from('[1]').toString('base64url')}.${cursor.split('.')[1]}` }),
    );
    const foreign = await paginate({
      codec,
      scope: cursorScope('test', { business: 2 }),
      page: { next_cursor: cursor },
      defaultPageSize: 3,
      fetch: source,
      keyOf: (r) => [r.id],
      map: (r) => r.id,
    }).catch((error: unknown) => error);
    expect(foreign).toBeInstanceOf(ApiError);
    expect((foreign as ApiError).statusCode).toBe(400);
    const otherKey = new CursorCodec(randomBytes(32)).encode('test|a', [3]);
    await expectInvalidCursor(page({ next_cursor: otherKey }));
  });

  it('refuses both cursors at once', async () => {
    const first = await page({});
    await expect(
      page({ next_cursor: first.next_cursor!, previous_cursor: first.next_cursor! }),
    ).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});
