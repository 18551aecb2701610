import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable, StorefrontStoreParams } from '../../http/schemas.ts';

/**
 * Request bodies of the three conversion relays. The reference names the nested objects but the
 * rendering collapses them (and the older machine-readable edition predates the routes), so the
 * shapes follow each platform's own event API: Meta's `user_data`/`event_name`/`custom_data`,
 * TikTok's `user`/`event`/`properties`, SnackVideo's `click_id`/`event_name`/`properties`.
 * Unknown fields inside these objects are dropped; client IP and user agent always come from the
 * request itself. Top-level extra properties are accepted (the contract allows them) and ignored.
 */
export const ConversionParams = StorefrontStoreParams;

const PageUrl = Type.String({ format: 'uri', maxLength: 2048 });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
/** One value or a list (arrays coerce single strings); plain values are normalized and SHA-256 hashed. */
const Hashed = Type.Optional(Nullable(Type.Array(Text(256), { maxItems: 10 })));
const Opaque = (max: number) => Type.Optional(Nullable(Type.String({ maxLength: max })));
const EventName = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[A-Za-z0-9_][A-Za-z0-9_ .-]*$',
  description: 'Letters, digits, `_`, `.`, `-` and spaces, starting with a letter, digit or `_`.',
});
const EventTime = Type.Optional(
  Nullable(Type.Integer({ minimum: 0, maximum: 99_999_999_999, description: 'Unix seconds; default now.' })),
);
const EventId = Type.Optional(Nullable(Text(255)));
const FreeObject = Type.Optional(
  Nullable(Type.Object({}, { additionalProperties: true, maxProperties: 50 })),
);
const Strict = { additionalProperties: false } as const;

const VariantItem = Type.Object(
  {
    variant_id: Type.Union([Type.Integer({ minimum: 1 }), Text(64)]),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
  },
  { ...Strict, title: 'StorefrontAnalyticsVariantItem' },
);
const BundlePriceOptionItem = Type.Object(
  {
    bundle_price_option_id: Type.Union([Type.Integer({ minimum: 1 }), Text(64)]),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
  },
  { ...Strict, title: 'StorefrontAnalyticsBundlePriceOptionItem' },
);
const Items = {
  variants: Type.Optional(Nullable(Type.Array(VariantItem, { maxItems: 100 }))),
  bundle_price_options: Type.Optional(Nullable(Type.Array(BundlePriceOptionItem, { maxItems: 100 }))),
};
const Events = <T extends TSchema>(event: T) => Type.Array(event, { minItems: 1, maxItems: 50 });

export const MetaUserData = Type.Object(
  {
    em: Hashed,
    ph: Hashed,
    fn: Hashed,
    ln: Hashed,
    ge: Hashed,
    db: Hashed,
    ct: Hashed,
    st: Hashed,
    zp: Hashed,
    country: Hashed,
    external_id: Hashed,
    fbc: Opaque(500),
    fbp: Opaque(500),
  },
  { ...Strict, title: 'StorefrontMetaConversionUserData' },
);

export const MetaEvent = Type.Object(
  {
    event_name: EventName,
    event_id: EventId,
    event_time: EventTime,
    event_source_url: Type.Optional(Nullable(PageUrl)),
    custom_data: FreeObject,
  },
  { ...Strict, title: 'StorefrontMetaConversionEvent' },
);

export const MetaConversionBody = Type.Object(
  {
    event_source_url: Type.Optional(Nullable(PageUrl)),
    referrer_url: Type.Optional(Nullable(PageUrl)),
    user_data: MetaUserData,
    events: Events(MetaEvent),
    ...Items,
  },
  { additionalProperties: true },
);

export const TiktokUserData = Type.Object(
  {
    email: Hashed,
    phone: Hashed,
    external_id: Hashed,
    ttclid: Opaque(500),
    ttp: Opaque(500),
    locale: Opaque(35),
  },
  { ...Strict, title: 'StorefrontTiktokConversionUserData' },
);

export const TiktokEvent = Type.Object(
  {
    event: Type.Optional(EventName),
    /** Accepted as a synonym of `event` (Meta's spelling), since storefronts often share one tracker. */
    event_name: Type.Optional(EventName),
    event_id: EventId,
    event_time: EventTime,
    properties: FreeObject,
  },
  { ...Strict, title: 'StorefrontTiktokConversionEvent' },
);

export const TiktokConversionBody = Type.Object(
  {
    event_source_url: PageUrl,
    referrer_url: Type.Optional(Nullable(PageUrl)),
    user: TiktokUserData,
    events: Events(TiktokEvent),
    ...Items,
  },
  { additionalProperties: true },
);

export const SnackVideoEvent = Type.Object(
  {
    event_name: EventName,
    event_time: EventTime,
    properties: FreeObject,
  },
  { ...Strict, title: 'StorefrontSnackVideoConversionEvent' },
);

export const SnackVideoConversionBody = Type.Object(
  {
    click_id: Type.String({ minLength: 1, maxLength: 512 }),
    event_source_url: Type.Optional(Nullable(PageUrl)),
    referrer_url: Type.Optional(Nullable(PageUrl)),
    events: Events(SnackVideoEvent),
    ...Items,
  },
  { additionalProperties: true },
);

export type MetaConversionBody = Static<typeof MetaConversionBody>;
export type TiktokConversionBody = Static<typeof TiktokConversionBody>;
export type SnackVideoConversionBody = Static<typeof SnackVideoConversionBody>;
export type AnalyticsItems = {
  variants?: Static<typeof VariantItem>[] | null;
  bundle_price_options?: Static<typeof BundlePriceOptionItem>[] | null;
};
