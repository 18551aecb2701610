import type { ColumnType, Generated } from 'kysely';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type PartnershipType = 'reseller' | 'affiliate' | 'affiliate_pro';
export type AffiliateStatus = 'pending' | 'approved' | 'rejected' | 'banned';

export interface ProductPartnersTable {
  id: Generated<number>;
  /** The product owner. */
  business_id: number;
  product_id: number;
  partner_business_id: number;
  partnership_type: PartnershipType;
  affiliate_status: AffiliateStatus;
  message_to_product_owner: string | null;
  store_id: number | null;
  requested_at: NullableTimestamp;
  approved_at: NullableTimestamp;
  rejected_at: NullableTimestamp;
  created_by_user_id: number | null;
  created_at: Generated<Date>;
}

export interface BundlePartnersTable {
  id: Generated<number>;
  /** The bundle owner. */
  business_id: number;
  bundle_id: number;
  partner_business_id: number;
  created_by_user_id: number | null;
  created_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface DB {
    product_partners: ProductPartnersTable;
    bundle_partners: BundlePartnersTable;
  }
}
