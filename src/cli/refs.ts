import type { Db } from '../db/database.ts';
import * as businesses from '../modules/businesses/service.ts';
import { type OptionSpec, requireOption, UsageError } from './command.ts';

/**
 * Businesses and stores as commands name them: by numeric id or by unique_id, whichever the
 * operator has at hand (the banner and `--json` outputs show both).
 */
export const businessOption: OptionSpec = {
  type: 'string',
  valueName: 'id|unique_id',
  required: true,
  description: 'Business id or unique_id, required',
};

export const storeOption: OptionSpec = {
  type: 'string',
  valueName: 'id|unique_id',
  required: true,
  description: 'Store id or unique_id (store_…), required',
};

export async function businessByRef(db: Db, ref: string) {
  const business = await businesses.findBusinessByRef(db, ref);
  if (!business) throw new UsageError(`No business with id or unique_id ${ref.trim()}`);
  return business;
}

/** `--business` (or another option naming a business). */
export function businessFrom(db: Db, values: Record<string, unknown>, name = 'business') {
  return businessByRef(db, requireOption(values, name));
}

/** `--store`; when `businessId` is given, the store must be that business's. */
export async function storeFrom(db: Db, values: Record<string, unknown>, businessId?: number) {
  const ref = requireOption(values, 'store');
  const store = await businesses.findStoreByRef(db, ref);
  if (!store || (businessId !== undefined && store.business_id !== businessId)) {
    throw new UsageError(
      `No store with id or unique_id ${ref}${businessId !== undefined ? ' in this business' : ''}`,
    );
  }
  return store;
}
