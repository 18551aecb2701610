import type { Db } from '../../db/database.ts';
import { loadServerKeys } from '../../lib/secrets.ts';
import * as pixels from '../../modules/conversions/pixels.ts';
import { type Command, type OptionSpec, report, requireOption, UsageError } from '../command.ts';
import { businessFrom, businessOption, storeFrom, storeOption } from '../refs.ts';

const json: OptionSpec = { type: 'boolean', description: 'Print one JSON object instead of text' };
const scope: Record<string, OptionSpec> = { business: businessOption, store: storeOption };
const platform: OptionSpec = {
  type: 'string',
  valueName: 'platform',
  required: true,
  description: 'meta, tiktok or snackvideo, required',
};
const pixelId: OptionSpec = {
  type: 'string',
  valueName: 'id',
  required: true,
  description: 'Pixel id, required',
};

const TOKEN_ENV = 'NEXUS_PIXEL_ACCESS_TOKEN';

async function target(
  db: Db,
  values: Record<string, unknown>,
): Promise<{ businessId: number; storeId: number }> {
  const business = await businessFrom(db, values);
  const store = await storeFrom(db, values, business.id);
  return { businessId: business.id, storeId: store.id };
}

export const pixelCommands: Command[] = [
  {
    name: ['store', 'pixel', 'set'],
    summary: 'Add a conversion pixel to a store, or replace its access token and options.',
    details:
      `The access token is stored encrypted and never shown again. Prefer passing it in ${TOKEN_ENV}\n` +
      'over --access-token, which other users of this machine can see in the process list.\n' +
      'Placement: all (default) pages, or only home (catalog) or checkout pages, as the storefront\n' +
      "reports them in the events' event_source_url / referrer_url.",
    options: {
      ...scope,
      platform,
      'pixel-id': pixelId,
      'access-token': { type: 'string', valueName: 'token', description: `Access token (or ${TOKEN_ENV})` },
      'test-event-code': {
        type: 'string',
        valueName: 'code',
        description: "Send to the platform's test console (Meta/TikTok test code; SnackVideo test flag)",
      },
      placement: { type: 'string', valueName: 'where', description: 'all, home or checkout (all)' },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const { businessId, storeId } = await target(db, values);
      const accessToken =
        (typeof values['access-token'] === 'string' ? values['access-token'] : undefined) ??
        process.env[TOKEN_ENV];
      if (!accessToken?.trim()) throw new UsageError(`--access-token or ${TOKEN_ENV} is required`);
      const keys = await loadServerKeys(db, ctx.config.secretKey);
      const pixel = await pixels.setStorePixel(db, keys, businessId, storeId, {
        platform: requireOption(values, 'platform'),
        pixelId: requireOption(values, 'pixel-id'),
        accessToken,
        testEventCode: values['test-event-code'] as string | undefined,
        placement: values.placement as string | undefined,
      });
      report(ctx, Boolean(values.json), { pixel }, [
        `${pixel.platform} pixel ${pixel.pixel_id} set for store ${storeId} (placement ${pixel.placement}${
          pixel.test_event_code ? `, test code ${pixel.test_event_code}` : ''
        })`,
      ]);
    },
  },
  {
    name: ['store', 'pixel', 'list'],
    summary: "List a store's conversion pixels (access tokens are never shown).",
    options: { ...scope, json },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const { businessId, storeId } = await target(db, values);
      const list = await pixels.listStorePixels(db, businessId, storeId);
      report(
        ctx,
        Boolean(values.json),
        { pixels: list },
        list.length
          ? list.map((p) => `${p.platform.padEnd(11)} ${p.pixel_id}  placement ${p.placement}`)
          : ['No pixels: conversion events sent to this store are accepted and dropped.'],
      );
    },
  },
  {
    name: ['store', 'pixel', 'remove'],
    summary: 'Remove a conversion pixel from a store (events already queued for it are dropped).',
    options: { ...scope, platform, 'pixel-id': pixelId, json },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const { businessId, storeId } = await target(db, values);
      const removed = {
        platform: requireOption(values, 'platform'),
        pixel_id: requireOption(values, 'pixel-id'),
      };
      await pixels.removeStorePixel(db, businessId, storeId, removed.platform, removed.pixel_id);
      report(ctx, Boolean(values.json), { removed }, [
        `Removed ${removed.platform} pixel ${removed.pixel_id}`,
      ]);
    },
  },
  {
    name: ['store', 'pixel', 'events'],
    summary: 'Show the conversion requests the sandbox provider recorded for a store, newest first.',
    options: {
      ...scope,
      limit: { type: 'string', valueName: 'n', description: 'How many (20, at most 500)' },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const { businessId, storeId } = await target(db, values);
      const limitText = typeof values.limit === 'string' ? values.limit.trim() : '20';
      if (!/^\d+$/.test(limitText)) throw new UsageError('--limit must be a whole number');
      const events = await pixels.listSandboxEvents(db, businessId, storeId, Number(limitText));
      report(
        ctx,
        Boolean(values.json),
        { events },
        events.length
          ? events.map(
              (e) =>
                `${e.created_at.toISOString()}  ${e.platform.padEnd(11)} ${e.pixel_id}  ${JSON.stringify(e.request_body)}`,
            )
          : ['Nothing recorded yet.'],
      );
    },
  },
];
