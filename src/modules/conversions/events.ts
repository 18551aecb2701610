import { createHash } from 'node:crypto';
import { errors, type FieldErrors } from '../../http/errors.ts';
import type { ConversionPlatform } from '../../providers/conversions/provider.ts';
import type {
  AnalyticsItems,
  MetaConversionBody,
  SnackVideoConversionBody,
  TiktokConversionBody,
} from './schemas.ts';

/**
 * Turns a validated relay body into the platform's own server events: personal data normalized and
 * SHA-256 hashed (so the job queue never holds a raw e-mail or phone number), URLs stripped of
 * query and fragment, event times checked, and the client IP and user agent of the request added.
 */

export interface RequestOrigin {
  clientIp: string | null;
  userAgent: string | null;
}

export type WireEvent = Record<string, unknown>;

export interface ItemRef {
  ref: string;
  quantity: number;
}

export interface PreparedEvents {
  platform: ConversionPlatform;
  events: WireEvent[];
  /** The page the events come from, to pick home or checkout pixels. */
  pageUrl: string | null;
  items: { variants: ItemRef[]; bundle_price_options: ItemRef[] };
}

/** Platforms refuse events older than a week and events from the future. */
const MAX_AGE_SECONDS = 7 * 86_400;
const MAX_FUTURE_SECONDS = 3600;
const SHA256_HEX = /^[a-f0-9]{64}$/;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Indonesian buyers type `0812…`; platforms match on the international form `62812…`. */
function phoneDigits(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.startsWith('0') ? `62${digits.replace(/^0+/, '')}` : digits;
}

const NORMALIZE: Record<string, (value: string) => string> = {
  em: (v) => v.trim().toLowerCase(),
  ph: phoneDigits,
  fn: (v) => v.trim().toLowerCase(),
  ln: (v) => v.trim().toLowerCase(),
  ge: (v) => v.trim().toLowerCase().slice(0, 1),
  db: (v) => v.replace(/\D/g, ''),
  ct: (v) => v.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''),
  st: (v) => v.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''),
  zp: (v) => v.toLowerCase().replace(/[\s-]/g, ''),
  country: (v) => v.trim().toLowerCase(),
  external_id: (v) => v.trim(),
  email: (v) => v.trim().toLowerCase(),
  phone: (v) => `+${phoneDigits(v)}`,
};

/** Values already hashed by the client (64 hex characters) pass through; empty ones are dropped. */
function hashAll(field: string, values: readonly string[] | null | undefined): string[] | undefined {
  if (!values?.length) return undefined;
  const normalize = NORMALIZE[field] ?? ((v: string) => v.trim());
  const hashed = values
    .map((value) => {
      const lowered = value.trim().toLowerCase();
      if (SHA256_HEX.test(lowered)) return lowered;
      const normal = normalize(value);
      return normal && normal !== '+' ? sha256(normal) : '';
    })
    .filter(Boolean);
  return hashed.length ? [...new Set(hashed)] : undefined;
}

/** The page URL as platforms want it: http(s) only, no query string, no fragment. */
function pageUrl(value: string | null | undefined, field: string, problems: FieldErrors): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems[field] = ['must be a valid URL'];
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems[field] = ['must be an http or https URL'];
    return null;
  }
  url.search = '';
  url.hash = '';
  return url.toString();
}

function eventTime(
  value: number | null | undefined,
  field: string,
  now: number,
  problems: FieldErrors,
): number {
  const nowSeconds = Math.floor(now / 1000);
  if (value === null || value === undefined) return nowSeconds;
  if (value < nowSeconds - MAX_AGE_SECONDS || value > nowSeconds + MAX_FUTURE_SECONDS) {
    problems[field] = ['must be a Unix time in seconds within the last 7 days'];
  }
  return value;
}

function compact<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as Partial<T>;
}

function itemRefs(body: AnalyticsItems): PreparedEvents['items'] {
  return {
    variants: (body.variants ?? []).map((item) => ({
      ref: String(item.variant_id),
      quantity: item.quantity ?? 1,
    })),
    bundle_price_options: (body.bundle_price_options ?? []).map((item) => ({
      ref: String(item.bundle_price_option_id),
      quantity: item.quantity ?? 1,
    })),
  };
}

function finish(problems: FieldErrors, prepared: PreparedEvents): PreparedEvents {
  if (Object.keys(problems).length) throw errors.validation(problems);
  return prepared;
}

export function prepareMetaEvents(
  body: MetaConversionBody,
  origin: RequestOrigin,
  now = Date.now(),
): PreparedEvents {
  const problems: FieldErrors = {};
  const topUrl = pageUrl(body.event_source_url, 'event_source_url', problems);
  const referrer = pageUrl(body.referrer_url, 'referrer_url', problems);
  const data = body.user_data;
  const userData = compact({
    em: hashAll('em', data.em),
    ph: hashAll('ph', data.ph),
    fn: hashAll('fn', data.fn),
    ln: hashAll('ln', data.ln),
    ge: hashAll('ge', data.ge),
    db: hashAll('db', data.db),
    ct: hashAll('ct', data.ct),
    st: hashAll('st', data.st),
    zp: hashAll('zp', data.zp),
    country: hashAll('country', data.country),
    external_id: hashAll('external_id', data.external_id),
    fbc: data.fbc,
    fbp: data.fbp,
    client_ip_address: origin.clientIp,
    client_user_agent: origin.userAgent,
  });
  const events = body.events.map((event, i) =>
    compact({
      event_name: event.event_name,
      event_time: eventTime(event.event_time, `events.${i}.event_time`, now, problems),
      event_id: event.event_id,
      action_source: 'website',
      event_source_url: pageUrl(event.event_source_url, `events.${i}.event_source_url`, problems) ?? topUrl,
      user_data: userData,
      custom_data: event.custom_data ?? undefined,
    }),
  );
  return finish(problems, {
    platform: 'meta',
    events,
    pageUrl: topUrl ?? referrer,
    items: itemRefs(body),
  });
}

export function prepareTiktokEvents(
  body: TiktokConversionBody,
  origin: RequestOrigin,
  now = Date.now(),
): PreparedEvents {
  const problems: FieldErrors = {};
  const url = pageUrl(body.event_source_url, 'event_source_url', problems);
  const referrer = pageUrl(body.referrer_url, 'referrer_url', problems);
  const data = body.user;
  const user = compact({
    email: hashAll('email', data.email),
    phone: hashAll('phone', data.phone),
    external_id: hashAll('external_id', data.external_id),
    ttclid: data.ttclid,
    ttp: data.ttp,
    locale: data.locale,
    ip: origin.clientIp,
    user_agent: origin.userAgent,
  });
  const events = body.events.map((event, i) => {
    const name = event.event ?? event.event_name;
    if (!name) problems[`events.${i}.event`] = ['is required'];
    return compact({
      event: name,
      event_time: eventTime(event.event_time, `events.${i}.event_time`, now, problems),
      event_id: event.event_id,
      user,
      page: compact({ url, referrer }),
      properties: event.properties ?? undefined,
    });
  });
  return finish(problems, { platform: 'tiktok', events, pageUrl: url ?? referrer, items: itemRefs(body) });
}

/** Common storefront event names mapped to SnackVideo's; names already in its form pass through. */
const SNACKVIDEO_NAMES: Record<string, string> = {
  viewcontent: 'EVENT_CONTENT_VIEW',
  addtocart: 'EVENT_ADD_TO_CART',
  initiatecheckout: 'EVENT_INITIATED_CHECKOUT',
  addpaymentinfo: 'EVENT_ADD_PAYMENT_INFO',
  placeorder: 'EVENT_PLACE_ORDER',
  purchase: 'EVENT_PURCHASE',
  completepayment: 'EVENT_PURCHASE',
  completeregistration: 'EVENT_COMPLETE_REGISTRATION',
  lead: 'EVENT_FORM_SUBMIT',
  contact: 'EVENT_CONTACT',
  subscribe: 'EVENT_SUBSCRIBE',
};

function snackVideoName(name: string): string {
  if (/^EVENT_/i.test(name)) return name.toUpperCase();
  return SNACKVIDEO_NAMES[name.toLowerCase().replace(/[\s_-]/g, '')] ?? name;
}

export function prepareSnackVideoEvents(
  body: SnackVideoConversionBody,
  _origin: RequestOrigin,
  now = Date.now(),
): PreparedEvents {
  const problems: FieldErrors = {};
  const url = pageUrl(body.event_source_url, 'event_source_url', problems);
  const referrer = pageUrl(body.referrer_url, 'referrer_url', problems);
  const clickid = body.click_id.trim();
  if (!clickid) problems.click_id = ['must not be blank'];
  const events = body.events.map((event, i) =>
    compact({
      event_name: snackVideoName(event.event_name),
      event_time: eventTime(event.event_time, `events.${i}.event_time`, now, problems),
      clickid,
      properties: event.properties ?? undefined,
    }),
  );
  return finish(problems, {
    platform: 'snackvideo',
    events,
    pageUrl: url ?? referrer,
    items: itemRefs(body),
  });
}

/** Hosted order pages (`/o/…`) and any path with a `checkout` segment count as checkout. */
export function pageKind(url: string | null): 'home' | 'checkout' {
  if (!url) return 'home';
  const segments = new URL(url).pathname.toLowerCase().split('/').filter(Boolean);
  return segments[0] === 'o' || segments.some((s) => s === 'checkout' || s.startsWith('checkout-'))
    ? 'checkout'
    : 'home';
}
