import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { toPartnerBusiness } from './partner-business.ts';
import * as q from './queries.ts';
import { normalizeNullableRate, normalizeRate } from './rates.ts';
import { type PartnerCaller, requireProduct } from './service.ts';
import type { PartnershipType } from './tables.ts';

/**
 * A product's partnership settings: three programs (reseller sharing, affiliate, affiliate pro),
 * each switched by one flag. A partner of a type has access only while its program is on, so
 * switching a program off takes the product off those partners' stores; the check-changes route
 * computes exactly what an update would do, from the same function, without doing it.
 */
export type PartnershipSettings = q.PartnershipSettingsUpdate;
export type PartnershipInput = Partial<PartnershipSettings>;

const PROGRAM_SWITCH = {
  reseller: 'is_product_sharing',
  affiliate: 'is_affiliate_enabled',
  affiliate_pro: 'is_affiliate_pro_enabled',
} as const satisfies Record<PartnershipType, keyof PartnershipSettings>;

const PARTNERSHIP_TYPES = Object.keys(PROGRAM_SWITCH) as PartnershipType[];

const SETTING_FIELDS = [
  'is_product_sharing',
  'is_affiliate_enabled',
  'is_affiliate_auto_accept',
  'is_affiliate_pro_enabled',
  'affiliate_commission_rate',
  'affiliate_pro_commission_rate',
  'partnership_sales_letter',
] as const satisfies ReadonlyArray<keyof PartnershipSettings>;

/** Impact lists show this many rows; their counts always cover every affected row. */
export const IMPACT_SAMPLE_SIZE = 100;

function checkRate(
  field: 'affiliate_commission_rate' | 'affiliate_pro_commission_rate',
  value: string | null,
) {
  if (value === null) return null;
  const rate = normalizeRate(value);
  const [whole = '0', fraction = ''] = rate.split('.');
  if (Number(whole) > 100 || (whole === '100' && /[1-9]/.test(fraction)))
    throw errors.invalidField(field, 'must be between 0 and 100');
  return rate;
}

export function settingsOf(row: q.ProductSettingsRow): PartnershipSettings {
  return {
    is_product_sharing: row.is_product_sharing,
    is_affiliate_enabled: row.is_affiliate_enabled,
    is_affiliate_auto_accept: row.is_affiliate_auto_accept,
    is_affiliate_pro_enabled: row.is_affiliate_pro_enabled,
    affiliate_commission_rate: normalizeNullableRate(row.affiliate_commission_rate),
    affiliate_pro_commission_rate: normalizeNullableRate(row.affiliate_pro_commission_rate),
    partnership_sales_letter: row.partnership_sales_letter,
  };
}

export interface Proposal {
  current: PartnershipSettings;
  next: PartnershipSettings;
  changedFields: string[];
  /** Partnership types whose program goes from on to off: their partners lose access. */
  losing: PartnershipType[];
  gaining: PartnershipType[];
}

/** Validates a partial change against the current settings; fields left out keep their value. */
export function propose(current: PartnershipSettings, input: PartnershipInput): Proposal {
  const next: PartnershipSettings = { ...current };
  for (const field of SETTING_FIELDS) {
    if (input[field] !== undefined) Object.assign(next, { [field]: input[field] });
  }
  next.affiliate_commission_rate = checkRate('affiliate_commission_rate', next.affiliate_commission_rate);
  next.affiliate_pro_commission_rate = checkRate(
    'affiliate_pro_commission_rate',
    next.affiliate_pro_commission_rate,
  );
  // A program without a commission cannot pay its affiliates; only checked when the request
  // touches the pair, so older rows without a rate stay editable field by field.
  const requireRate = (
    flag: 'is_affiliate_enabled' | 'is_affiliate_pro_enabled',
    rate: 'affiliate_commission_rate' | 'affiliate_pro_commission_rate',
  ) => {
    const touched = input[flag] !== undefined || input[rate] !== undefined;
    if (touched && next[flag] && next[rate] === null)
      throw errors.invalidField(rate, `is required while ${flag} is true`);
  };
  requireRate('is_affiliate_enabled', 'affiliate_commission_rate');
  requireRate('is_affiliate_pro_enabled', 'affiliate_pro_commission_rate');

  const changedFields = SETTING_FIELDS.filter((field) => next[field] !== current[field]);
  const losing = PARTNERSHIP_TYPES.filter(
    (type) => current[PROGRAM_SWITCH[type]] && !next[PROGRAM_SWITCH[type]],
  );
  const gaining = PARTNERSHIP_TYPES.filter(
    (type) => !current[PROGRAM_SWITCH[type]] && next[PROGRAM_SWITCH[type]],
  );
  return { current, next, changedFields, losing, gaining };
}

function toProductPartnership(row: q.ProductSettingsRow) {
  return {
    id: row.id,
    name: row.name,
    ...settingsOf(row),
    last_updated_at: row.last_updated_at.toISOString(),
    last_updated_by:
      row.last_updated_by_id === null
        ? null
        : { id: row.last_updated_by_id, name: row.last_updated_by_name, email: row.last_updated_by_email },
  };
}

/**
 * Applies the change in one transaction with the product row locked, so the partners whose
 * listings are removed are exactly those the new settings cut off.
 */
export async function updatePartnership(
  db: Db,
  caller: PartnerCaller,
  productId: number,
  input: PartnershipInput,
) {
  return db.transaction().execute(async (trx) => {
    if (!(await q.lockOwnedProduct(trx, caller.businessId, productId)))
      throw errors.notFound('Product not found');
    const proposal = propose(settingsOf(await requireProduct(trx, caller, productId)), input);
    if (proposal.changedFields.length > 0) {
      await q.removeListingsOfPartnerTypes(trx, productId, proposal.losing);
      await q.updatePartnershipSettings(trx, caller.businessId, productId, proposal.next, caller.userId);
    }
    return toProductPartnership(await requireProduct(trx, caller, productId));
  });
}

function toImpactPartner(row: q.ImpactPartnerRow) {
  return {
    id: row.id,
    partnership_type: row.partnership_type,
    affiliate_status: row.affiliate_status,
    partner: toPartnerBusiness(row),
  };
}

/** What `updatePartnership` would do with this input, read from the current rows; writes nothing. */
export async function checkPartnershipChanges(
  db: Db,
  caller: PartnerCaller,
  productId: number,
  input: PartnershipInput,
) {
  const product = await requireProduct(db, caller, productId);
  const proposal = propose(settingsOf(product), input);
  const { losing, gaining } = proposal;
  const [losingCount, losingRows, gainingCount, gainingRows, listingCount, listingRows] = await Promise.all([
    q.countPartnersOfTypes(db, productId, losing),
    q.samplePartnersOfTypes(db, productId, losing, IMPACT_SAMPLE_SIZE),
    q.countPartnersOfTypes(db, productId, gaining),
    q.samplePartnersOfTypes(db, productId, gaining, IMPACT_SAMPLE_SIZE),
    q.countPartnerListings(db, productId, losing),
    q.samplePartnerListings(db, productId, losing, IMPACT_SAMPLE_SIZE),
  ]);
  return {
    product_id: product.id,
    changed_fields: proposal.changedFields,
    current: proposal.current,
    proposed: proposal.next,
    partners_losing_access: { count: losingCount, data: losingRows.map(toImpactPartner) },
    partners_gaining_access: { count: gainingCount, data: gainingRows.map(toImpactPartner) },
    partner_store_listings_to_remove: { count: listingCount, data: listingRows },
    has_impact: losingCount > 0 || gainingCount > 0,
  };
}
