import { Type } from '@sinclair/typebox';
import { Nullable, StorefrontStoreParams } from '../../http/schemas.ts';

export const CART_ITEM_TYPES = ['variant', 'bundle_price_option'] as const;
export type CartItemType = (typeof CART_ITEM_TYPES)[number];

/** Most of one item a buyer can put in a cart; bundle lines use the same ceiling. */
export const MAX_LINE_QUANTITY = 10_000;

const Quantity = Type.Integer({ minimum: 1, maximum: MAX_LINE_QUANTITY });

/**
 * The contract's "integer or string": numeric ids, as numbers or numeric strings, or the public
 * ids a storefront may hold instead (`variant_…` or the variant uuid, `bpo_…`).
 */
const ItemId = Type.Union([
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  Type.String({ minLength: 1, maxLength: 64 }),
]);

export const CartParams = StorefrontStoreParams;

export const CartItemParams = Type.Object({
  store_id: StorefrontStoreParams.properties.store_id,
  item_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Cart item id.' }),
});

/**
 * Typed item; which id is required depends on `type`, so the service checks it and names the field.
 * `type` may be left out when exactly one id says what the item is, as older storefronts send it.
 */
export const CartItemRequest = Type.Object(
  {
    type: Type.Optional(
      Type.Unsafe<CartItemType>({
        type: 'string',
        enum: [...CART_ITEM_TYPES],
        description:
          'Optional when exactly one of `variant_id` and `bundle_price_option_id` is sent: that id says what the item is. Required with both.',
      }),
    ),
    variant_id: Type.Optional(ItemId),
    bundle_price_option_id: Type.Optional(ItemId),
    quantity: Type.Optional({ ...Quantity, default: 1 }),
  },
  { title: 'CartItemRequest' },
);

export const CartItemUpdateRequest = Type.Object({ quantity: Quantity }, { title: 'CartItemUpdateRequest' });

export const CartItem = Type.Object(
  {
    id: Type.Integer(),
    type: Type.Unsafe<CartItemType>({ type: 'string', enum: [...CART_ITEM_TYPES] }),
    variant_id: Nullable(Type.Integer()),
    bundle_price_option_id: Nullable(Type.Integer()),
    name: Type.String(),
    product_name: Type.String({
      description:
        'The catalog entry bought, as the items list names it: the product for a variant line, the bundle and option for a price-option line.',
    }),
    variant_name: Nullable(
      Type.String({ description: 'The variant’s full name, as `name`; null on a price-option line.' }),
    ),
    image: Nullable(Type.String()),
    item_type: Type.String(),
    requires_shipping: Type.Boolean(),
    weight: Type.Integer({ description: 'Weight of one unit in grams.' }),
    quantity: Type.Integer(),
    unit_price: Type.String({ description: 'Current price of one unit, decimal.' }),
    subtotal: Type.String({ description: 'unit_price × quantity, decimal.' }),
    line_subtotal: Type.String({
      description: 'Same as `subtotal`, under the name storefront clients read.',
    }),
  },
  { title: 'CartItem' },
);

export const Cart = Type.Object(
  {
    id: Type.Integer(),
    item_count: Type.Integer({ description: 'Sum of the quantities of every line.' }),
    total: Type.String({ description: 'Sum of the line subtotals, decimal.' }),
    items: Type.Array(CartItem),
  },
  { title: 'Cart' },
);
