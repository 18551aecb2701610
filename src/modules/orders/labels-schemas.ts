import { Type } from '@sinclair/typebox';

export const LabelSearchQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 100, description: 'Case-insensitive partial match.' })),
});

export const OrderTagList = Type.Object(
  { data: Type.Array(Type.String()), is_paginated: Type.Literal(false) },
  { title: 'OrderTagList' },
);

/** The UTM lists answer `{data}` alone, as the reference shows (no `is_paginated`). */
export const UtmValueList = Type.Object({ data: Type.Array(Type.String()) }, { title: 'OrderUtmValueList' });

export const UpdateOrderTagsBody = Type.Object({
  tags: Type.Array(Type.String({ maxLength: 100 }), {
    maxItems: 50,
    description: 'Replaces the order’s tags (trimmed; empty and repeated ones dropped).',
  }),
});

export const UpdateOrderCustomerBody = Type.Object({
  customer_id: Type.Integer({ minimum: 1, description: 'One of the business’s customers.' }),
});
