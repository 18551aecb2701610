/**
 * The signed-in customer's own account: profile (e-mail read-only), a new password, and their saved
 * addresses through the one address service the business routes use.
 */
import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import type { CustomerPrincipal } from '../../http/auth/principal.ts';
import { errors, type FieldErrors } from '../../http/errors.ts';
import { hashPassword, verifyPassword } from '../../lib/crypto.ts';
import { queuePasswordChangedMail } from '../customer-auth/service.ts';
import type { AddressScope } from '../customers/addresses.ts';
import { presentCustomer } from '../customers/present.ts';
import * as q from '../customers/queries.ts';
import { cleanDateOfBirth, cleanPhone, cleanSex, requiredName } from '../customers/rules.ts';
import { throwIfInvalid } from '../customers/service.ts';
import type * as schemas from './schemas.ts';

type ProfileInput = Static<typeof schemas.CustomerProfileUpdateRequest>;
type PasswordInput = Static<typeof schemas.CustomerPasswordRequest>;
export type CustomerMeObject = Static<typeof schemas.CustomerMe>;

interface SignedInCustomer {
  row: q.CustomerRow;
  store: CustomerMeObject['store'];
}

/**
 * The customer behind the token, in the token's store's business. A token whose customer is gone or
 * no longer active is as good as an invalid one (401), like every other customer credential failure.
 */
async function signedIn(db: Db, principal: CustomerPrincipal): Promise<SignedInCustomer> {
  const row = await q.findStoreCustomer(db, principal.storeId, principal.customerId);
  if (row?.status !== 'active') throw errors.unauthorized('Invalid or expired customer token');
  return {
    row,
    store: {
      id: principal.storeId,
      unique_id: row.store_unique_id,
      name: row.store_name,
      logo: row.store_logo,
    },
  };
}

function meObject(customer: SignedInCustomer): CustomerMeObject {
  return {
    customer: presentCustomer(customer.row, 'customer'),
    store: customer.store,
    is_generated_password_reset: customer.row.is_generated_password,
  };
}

export async function getMe(db: Db, principal: CustomerPrincipal): Promise<CustomerMeObject> {
  return meObject(await signedIn(db, principal));
}

/** Only the fields sent change; the e-mail may be sent back unchanged but never changed here. */
export async function updateMe(db: Db, principal: CustomerPrincipal, input: ProfileInput) {
  const { row } = await signedIn(db, principal);
  const fieldErrors: FieldErrors = {};
  if (input.email !== undefined && (input.email ?? '').trim().toLowerCase() !== (row.email ?? ''))
    fieldErrors.email = ['is read-only'];
  const values: Parameters<typeof q.updateCustomer>[3] = {};
  if (input.name !== undefined) values.name = requiredName(input.name, 'name', fieldErrors);
  if (input.phone !== undefined) values.phone = cleanPhone(input.phone, 'phone', fieldErrors);
  if (input.date_of_birth !== undefined)
    values.date_of_birth = cleanDateOfBirth(input.date_of_birth, fieldErrors);
  if (input.sex !== undefined) values.sex = cleanSex(input.sex);
  if (input.is_unsubscribe !== undefined) values.is_unsubscribe = input.is_unsubscribe;
  throwIfInvalid(fieldErrors);
  if (Object.keys(values).length > 0) await q.updateCustomer(db, row.business_id, row.id, values);
  return getMe(db, principal);
}

/**
 * Sets the customer's own password. The reference sends only `password`: the customer access token
 * (15 minutes, bound to its store, refused once revoked) is the proof. A `current_password` that is
 * sent must still match. Every token issued before now stops working and every refresh family is
 * revoked, so the answer carries no tokens: the customer signs in again; and the customer is
 * e-mailed, so a change made with a stolen token does not go unnoticed (docs/decisions.md).
 */
export async function setPassword(db: Db, principal: CustomerPrincipal, input: PasswordInput) {
  const { row, store } = await signedIn(db, principal);
  const stored = await q.findPasswordHash(db, row.business_id, row.id);
  if (!stored) throw errors.unauthorized('Invalid or expired customer token');
  // A blank field (a form's empty "current password" box) is not a claim to check.
  if (input.current_password && !(await verifyPassword(input.current_password, stored.password_hash)))
    throw errors.invalidField('current_password', 'is incorrect');
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    await q.setPassword(trx, row.business_id, row.id, passwordHash);
    await q.revokeRefreshTokens(trx, row.id);
    if (row.email)
      await queuePasswordChangedMail(trx, {
        businessId: row.business_id,
        storeName: store.name,
        to: row.email,
      });
  });
  return getMe(db, principal);
}

/** The address service's scope for the signed-in customer (401 when the token names no customer). */
export async function addressScope(db: Db, principal: CustomerPrincipal): Promise<AddressScope> {
  const { row } = await signedIn(db, principal);
  return { businessId: row.business_id, customer: { id: row.id } };
}
