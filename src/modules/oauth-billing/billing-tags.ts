import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { ApprovedBillingTag } from '../../db/schema.ts';
import { errors } from '../../http/errors.ts';
import { billingAction } from './actions.ts';

const TAG_CODE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

export interface NewBillingTag {
  applicationId: number;
  tagCode: string;
  label: string;
  price: number;
  actionKey: string;
}

/**
 * A developer's price for one action of their app (`nexus oauth billing-tag create`). Merchants
 * approve the app's tags on the authorize page; the installation keeps the price they saw, so a
 * later tag change never charges an installed merchant more than they approved.
 */
export async function createBillingTag(db: Db, input: NewBillingTag) {
  const problems: string[] = [];
  if (!TAG_CODE.test(input.tagCode)) problems.push('tag code must be 1-64 of a-z 0-9 _ . - (lowercase)');
  if (!input.label.trim()) problems.push('label is required');
  if (!Number.isSafeInteger(input.price) || input.price < 1)
    problems.push('price must be a whole IDR amount ≥ 1');
  if (!billingAction(input.actionKey)) problems.push(`unknown action ${input.actionKey}`);
  if (problems.length) throw errors.badRequest(problems.join('; '));
  const row = await db
    .insertInto('oauth_billing_tags')
    .values({
      id: randomUUID(),
      application_id: input.applicationId,
      tag_code: input.tagCode,
      label: input.label.trim(),
      price: input.price,
      action_key: input.actionKey,
    })
    .onConflict((oc) => oc.columns(['application_id', 'tag_code']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw errors.conflict(`The app already has a billing tag ${input.tagCode}`);
  return row;
}

/** The app's tags as an installation records them on approval. */
export async function approvableBillingTags(db: Db, applicationId: number): Promise<ApprovedBillingTag[]> {
  const rows = await db
    .selectFrom('oauth_billing_tags')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('tag_code')
    .execute();
  return rows.map((row) => ({
    billing_tag_id: row.id,
    tag_code: row.tag_code,
    label: row.label,
    price: row.price,
    currency: row.currency,
    action_key: row.action_key,
  }));
}
