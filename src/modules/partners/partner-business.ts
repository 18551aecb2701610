/** The partner columns every partner query selects (see `PARTNER_COLUMNS` in queries.ts). */
export interface PartnerBusinessColumns {
  partner_id: number;
  partner_unique_id: string;
  partner_username: string;
  partner_account_holder: string;
  partner_email: string | null;
  partner_phone: string | null;
  partner_is_active: boolean;
}

/** The contract's BusinessSimple for an embedded partner. */
export function toPartnerBusiness(row: PartnerBusinessColumns) {
  return {
    id: row.partner_id,
    unique_id: row.partner_unique_id,
    username: row.partner_username,
    account_holder: row.partner_account_holder,
    email: row.partner_email,
    phone: row.partner_phone,
    is_banned: !row.partner_is_active,
    // Businesses have no logo on this server yet.
    logo: null,
  };
}
