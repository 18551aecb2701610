import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import type { ServerKeys } from '../../lib/secrets.ts';
import { CONVERSION_PLATFORMS, type ConversionPlatform } from '../../providers/conversions/provider.ts';
import { encryptPixelToken, pixelTokenKey } from './pixel-tokens.ts';
import * as q from './queries.ts';
import type { PixelPlacement } from './tables.ts';

/**
 * Operator management of a store's conversion pixels (`nexus store pixel …`) until store analytics
 * settings arrive in the API. Nothing here ever returns an access token.
 */

const PLACEMENTS: readonly PixelPlacement[] = ['all', 'home', 'checkout'];
const PIXEL_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface SetPixelInput {
  platform: string;
  pixelId: string;
  accessToken: string;
  testEventCode?: string | undefined;
  placement?: string | undefined;
}

function platformOf(text: string): ConversionPlatform {
  const platform = text.trim().toLowerCase();
  if (!CONVERSION_PLATFORMS.includes(platform as ConversionPlatform))
    throw errors.invalidField('platform', `must be one of ${CONVERSION_PLATFORMS.join(', ')}`);
  return platform as ConversionPlatform;
}

async function requireStore(db: Db, businessId: number, storeId: number) {
  const store = await q.storeOfBusiness(db, businessId, storeId);
  if (!store) throw errors.notFound('Store not found');
  return store;
}

export async function setStorePixel(
  db: Db,
  keys: ServerKeys,
  businessId: number,
  storeId: number,
  input: SetPixelInput,
) {
  await requireStore(db, businessId, storeId);
  const platform = platformOf(input.platform);
  const pixelId = input.pixelId.trim();
  if (!PIXEL_ID.test(pixelId))
    throw errors.invalidField('pixel_id', 'must be 1-64 letters, digits, underscores or hyphens');
  const token = input.accessToken.trim();
  if (token.length < 8 || token.length > 1000 || /\s/.test(token))
    throw errors.invalidField('access_token', 'must be 8-1000 characters without spaces');
  const testEventCode = input.testEventCode?.trim() || null;
  if (testEventCode && testEventCode.length > 100)
    throw errors.invalidField('test_event_code', 'must be at most 100 characters');
  const placement = (input.placement?.trim().toLowerCase() || 'all') as PixelPlacement;
  if (!PLACEMENTS.includes(placement))
    throw errors.invalidField('placement', `must be one of ${PLACEMENTS.join(', ')}`);
  return q.upsertPixel(db, {
    businessId,
    storeId,
    platform,
    pixelId,
    tokenCiphertext: encryptPixelToken(pixelTokenKey(keys), token),
    testEventCode,
    placement,
  });
}

export async function listStorePixels(db: Db, businessId: number, storeId: number) {
  await requireStore(db, businessId, storeId);
  return q.listPixels(db, businessId, storeId);
}

export async function removeStorePixel(
  db: Db,
  businessId: number,
  storeId: number,
  platform: string,
  pixelId: string,
): Promise<void> {
  await requireStore(db, businessId, storeId);
  if (!(await q.deletePixel(db, businessId, storeId, platformOf(platform), pixelId.trim())))
    throw errors.notFound('Pixel not found');
}

/** What the sandbox provider recorded for the store, newest first. */
export async function listSandboxEvents(db: Db, businessId: number, storeId: number, limit: number) {
  await requireStore(db, businessId, storeId);
  return q.sandboxEvents(db, businessId, storeId, Math.min(Math.max(limit, 1), 500));
}
