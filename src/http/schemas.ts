import { type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';

/**
 * `{error, error_code, message, errors}` — the contract's ApiErrorResponse — plus `request_id`, the
 * answer's `X-Request-Id`, which every error body carries (docs/decisions.md, "Wire conventions").
 */
export const ErrorEnvelope = Type.Object(
  {
    error: Type.String(),
    error_code: Type.String(),
    message: Type.String(),
    errors: Type.Record(Type.String(), Type.Array(Type.String())),
    request_id: Type.String({
      description: 'The X-Request-Id of this answer; quote it when reporting a problem.',
    }),
  },
  { title: 'ApiErrorResponse' },
);

export const Timestamp = Type.String({ format: 'date-time' });

/** `{data, is_paginated: false}` */
export function Collection<T extends TSchema>(item: T, title?: string) {
  return Type.Object({ data: Type.Array(item), is_paginated: Type.Literal(false) }, title ? { title } : {});
}

/** `{data, is_paginated: true, has_next, has_previous, next_cursor, previous_cursor, page_size}` */
export function Paginated<T extends TSchema>(item: T, title?: string) {
  return Type.Object(
    {
      data: Type.Array(item),
      is_paginated: Type.Literal(true),
      has_next: Type.Boolean(),
      has_previous: Type.Boolean(),
      next_cursor: Type.Union([Type.String(), Type.Null()]),
      previous_cursor: Type.Union([Type.String(), Type.Null()]),
      page_size: Type.Integer(),
    },
    title ? { title } : {},
  );
}

/** Cursor query parameters with the page-size bounds a list documents. */
export function PageQuery(bounds: { max: number; default: number }) {
  return {
    page_size: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: bounds.max,
        default: bounds.default,
        description: 'Cursor page size.',
      }),
    ),
    next_cursor: Type.Optional(
      Type.String({ maxLength: 1024, description: 'Opaque cursor for the next page.' }),
    ),
    previous_cursor: Type.Optional(
      Type.String({ maxLength: 1024, description: 'Opaque cursor for the previous page.' }),
    ),
  };
}

export const SortDirection = Type.Union([Type.Literal('asc'), Type.Literal('desc')], {
  default: 'desc',
  description: 'Cursor requests must keep the same sort_direction used to create the cursor.',
});

/** Business routes address stores by their numeric database id. */
export const BusinessStoreParams = Type.Object({
  store_id: Type.Integer({
    minimum: 1,
    // Larger ids cannot exist, and would reach PostgreSQL as an out-of-range bigint (a 500).
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Numeric store database ID for authenticated business routes.',
  }),
});

/** Storefront routes address stores by their public `unique_id`. */
export const StorefrontStoreParams = Type.Object({
  store_id: Type.String({ minLength: 1, maxLength: 64, description: 'Store unique_id.' }),
});

export const NoContent = Type.Null({ description: 'No content' });

/**
 * `T | null`. Written as `type: [T, "null"]` rather than a union: with type coercion on, Ajv would
 * turn null into "" or 0 into null while trying a union's branches in order.
 */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  if (typeof schema.type === 'string')
    return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
  return Type.Unsafe<Static<T> | null>(Type.Union([schema, Type.Null()]));
}
