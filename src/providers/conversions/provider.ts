import type { Db } from '../../db/database.ts';

export type ConversionPlatform = 'meta' | 'tiktok' | 'snackvideo';

export const CONVERSION_PLATFORMS: readonly ConversionPlatform[] = ['meta', 'tiktok', 'snackvideo'];

/**
 * One delivery to one pixel. `events` are already in the platform's own event format (hashed user
 * data, client IP and user agent filled in); the provider adds the envelope, credentials and endpoint.
 * SnackVideo's API takes one event per call, so its deliveries carry exactly one event.
 */
export interface ConversionDelivery {
  platform: ConversionPlatform;
  businessId: number;
  storeId: number;
  pixelId: string;
  accessToken: string;
  testEventCode: string | null;
  events: Record<string, unknown>[];
  /** The job that carries this delivery, for the sandbox record. */
  jobId?: number;
}

export interface DeliveryContext {
  signal: AbortSignal;
  db: Db;
}

export interface ConversionsProvider {
  readonly name: 'sandbox' | 'live';
  deliver(delivery: ConversionDelivery, context: DeliveryContext): Promise<void>;
}

/** A provider refused or could not take a delivery; `retryable` says whether trying later may help. */
export class ConversionDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** An HTTP request as an adapter builds it, kept separate from sending so tests can read it. */
export interface ProviderRequest {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}
