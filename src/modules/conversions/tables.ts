import type { Generated } from 'kysely';
import type { ConversionPlatform } from '../../providers/conversions/provider.ts';

export type PixelPlacement = 'all' | 'home' | 'checkout';

export interface StoreConversionPixelsTable {
  id: Generated<number>;
  business_id: number;
  store_id: number;
  platform: ConversionPlatform;
  pixel_id: string;
  /** AES-256-GCM, see `pixel-tokens.ts`; never logged, never returned by any route or command. */
  access_token_ciphertext: string;
  test_event_code: string | null;
  placement: Generated<PixelPlacement>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface DB {
    store_conversion_pixels: StoreConversionPixelsTable;
  }
}
