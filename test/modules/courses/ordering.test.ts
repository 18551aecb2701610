import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/http/errors.ts';
import { mergePatch, moveTo, orderFromUuids } from '../../../src/modules/courses/ordering.ts';

const children = [
  { id: 1, uuid: 'a' },
  { id: 2, uuid: 'b' },
  { id: 3, uuid: 'c' },
];

describe('course ordering helpers', () => {
  it('orderFromUuids maps a complete list to ids and names every problem', () => {
    expect(orderFromUuids(children, ['C', 'a', 'b'], 'f')).toEqual([3, 1, 2]);
    try {
      orderFromUuids(children, ['a', 'a', 'x'], 'f');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).fieldErrors).toEqual({
        f: ['lists these more than once: a', 'contains unknown ids: x', 'is missing: b, c'],
      });
    }
  });

  it('moveTo places an id at a 1-based position', () => {
    expect(moveTo([1, 2, 3, 4], 4, 1)).toEqual([4, 1, 2, 3]);
    expect(moveTo([1, 2, 3, 4], 1, 4)).toEqual([2, 3, 4, 1]);
    expect(moveTo([1, 2, 3, 4], 2, 2)).toEqual([1, 2, 3, 4]);
  });

  it('mergePatch follows RFC 7396', () => {
    expect(
      mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: null, b: { c: null, x: 1 }, e: [2], f: { g: 1 } }),
    ).toEqual({ b: { d: 3, x: 1 }, e: [2], f: { g: 1 } });
    expect(mergePatch({ a: 'text' }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  });
});
