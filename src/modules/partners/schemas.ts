import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, Paginated, Timestamp } from '../../http/schemas.ts';
import { Business } from '../identity/schemas.ts';

/** Database ids travel as integers; anything else in the path is a 422, never a database error. */
const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const ProductParams = Type.Object({ product_id: Id });
export const ProductPartnerParams = Type.Object({ product_id: Id, id: Id });
export const BundleParams = Type.Object({ bundle_id: Id });
export const BundlePartnerParams = Type.Object({ bundle_id: Id, id: Id });

export const PartnerListQuery = Type.Object(PageQuery({ max: 25, default: 25 }));

export const PartnershipTypeSchema = Type.Union(
  [Type.Literal('reseller'), Type.Literal('affiliate'), Type.Literal('affiliate_pro')],
  { title: 'PartnershipType' },
);

const AffiliateStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('banned'),
]);

/** The contract's BusinessSimple: the identity Business plus its ban flag and logo. */
export const PartnerBusiness = Type.Composite(
  [
    Business,
    Type.Object({
      is_banned: Type.Boolean({ description: 'True when the business is deactivated on this server.' }),
      logo: Nullable(Type.String({ format: 'uri' })),
    }),
  ],
  { title: 'BusinessSimple' },
);

const CustomDomain = Type.Object({
  id: Type.Integer(),
  business_id: Type.Integer(),
  full_url: Type.String(),
});

export const ProductPartner = Type.Object(
  {
    id: Type.Integer(),
    partner: PartnerBusiness,
    partnership_type: PartnershipTypeSchema,
    affiliate_status: AffiliateStatus,
    message_to_product_owner: Nullable(Type.String()),
    requested_at: Nullable(Timestamp),
    approved_at: Nullable(Timestamp),
    rejected_at: Nullable(Timestamp),
    created_at: Timestamp,
    store_id: Nullable(Type.Integer()),
    custom_domains: Type.Array(CustomDomain),
    affiliate_pro_domains: Type.Array(CustomDomain),
    affiliate_pro_links: Type.Array(
      Type.Object({ product_url: Type.String(), checkout_url: Type.String(), domain: Type.String() }),
    ),
  },
  { title: 'ProductPartner' },
);

export const ProductPartnerList = Paginated(ProductPartner, 'ListProductPartnersResponseBody');

const PartnerUniqueId = Type.String({
  minLength: 1,
  maxLength: 64,
  description: "The partner business's unique_id (16 letters and digits; case does not matter).",
});

export const CreatePartnerRequest = Type.Object(
  {
    partner_unique_id: PartnerUniqueId,
    partnership_type: Type.Optional(
      Type.Union(PartnershipTypeSchema.anyOf, {
        default: 'reseller',
        description: 'How the partner sells the product; access follows the matching program switch.',
      }),
    ),
  },
  { title: 'CreatePartnerRequest', additionalProperties: false },
);

export const BundlePartner = Type.Object(
  { id: Type.Integer(), partner: PartnerBusiness, created_at: Timestamp },
  { title: 'BundlePartner' },
);

export const BundlePartnerList = Paginated(BundlePartner, 'ListBundlePartnersResponseBody');

export const CreateBundlePartnerRequest = Type.Object(
  { partner_unique_id: PartnerUniqueId },
  { title: 'CreateBundlePartnerRequest', additionalProperties: false },
);

/** A percentage with up to four decimals, "0" to "100"; numbers are accepted and read as text. */
const CommissionRate = Nullable(
  Type.String({ pattern: '^\\d{1,3}(\\.\\d{1,4})?$', maxLength: 8, description: 'Percent, e.g. "12.5".' }),
);

const settingsFields = {
  is_product_sharing: Type.Boolean({ description: 'Resellers (partners added by the owner) may sell it.' }),
  is_affiliate_enabled: Type.Boolean(),
  is_affiliate_auto_accept: Type.Boolean(),
  is_affiliate_pro_enabled: Type.Boolean(),
  affiliate_commission_rate: CommissionRate,
  affiliate_pro_commission_rate: CommissionRate,
  partnership_sales_letter: Nullable(Type.String({ maxLength: 50_000 })),
};

export const PartnershipSettings = Type.Object(settingsFields, { title: 'ProductPartnershipSettings' });

/** Every field optional: fields left out keep their value. */
export const UpdatePartnershipRequest = Type.Partial(Type.Object(settingsFields), {
  title: 'UpdateProductPartnershipRequest',
  additionalProperties: false,
});

export const ProductPartnership = Type.Composite(
  [
    Type.Object({ id: Type.Integer(), name: Type.String() }),
    PartnershipSettings,
    Type.Object({
      last_updated_at: Timestamp,
      last_updated_by: Nullable(
        Type.Object({ id: Type.Integer(), name: Nullable(Type.String()), email: Nullable(Type.String()) }),
      ),
    }),
  ],
  { title: 'ProductPartnership' },
);

const ImpactPartner = Type.Object({
  id: Type.Integer({ description: 'Product partner id.' }),
  partnership_type: PartnershipTypeSchema,
  affiliate_status: AffiliateStatus,
  partner: PartnerBusiness,
});

const ImpactList = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({
    count: Type.Integer({ description: 'Every affected row, even beyond the listed sample.' }),
    data: Type.Array(item, { description: 'Up to 100, newest first.' }),
  });

export const PartnershipImpact = Type.Object(
  {
    product_id: Type.Integer(),
    changed_fields: Type.Array(Type.String()),
    current: PartnershipSettings,
    proposed: PartnershipSettings,
    partners_losing_access: ImpactList(ImpactPartner),
    partners_gaining_access: ImpactList(ImpactPartner),
    partner_store_listings_to_remove: ImpactList(
      Type.Object({
        id: Type.Integer({ description: 'Store id.' }),
        unique_id: Type.String(),
        name: Type.String(),
        business_id: Type.Integer({ description: 'The partner business that owns the store.' }),
      }),
    ),
    has_impact: Type.Boolean({ description: 'True when any partner loses or gains access.' }),
  },
  { title: 'ProductPartnershipImpact' },
);
