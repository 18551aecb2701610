import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { type AddressClass, classifyAddress } from './addresses.ts';

/**
 * The SSRF guard. A receiver URL is typed by a merchant, so a delivery must never reach the
 * server's own network: the host is resolved here, every address it resolves to is checked, and the
 * connection goes to a checked address (the `lookup` handed to the HTTP client), so a name that
 * resolves to a public address when checked and a private one when connecting (DNS rebinding)
 * cannot slip through. Redirects are not followed (a 3xx is a failed attempt) for the same reason.
 */

export interface TargetPolicy {
  allowPrivateNetworks: boolean;
}

/** A delivery the guard refused: retrying cannot help until the URL or the configuration changes. */
export class WebhookTargetError extends Error {}

const MAX_URL_LENGTH = 2000;

const DESCRIPTION: Record<Exclude<AddressClass, 'public'>, string> = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private-network address',
  'link-local': 'a link-local address',
  cgnat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  documentation: 'a documentation address',
  reserved: 'a reserved address',
  invalid: 'not an IP address',
};

/** Why a delivery may not connect to `address`, or null when it may. */
export function refusal(address: string, policy: TargetPolicy): string | null {
  const kind = classifyAddress(address);
  if (kind === 'public' || (policy.allowPrivateNetworks && kind !== 'invalid')) return null;
  return `${address} is ${DESCRIPTION[kind]}`;
}

/** The host as an IP address when the URL names one (`[::1]` without its brackets), else null. */
function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : null;
}

/**
 * A receiver URL as endpoints store it: http(s) only, a host, no user name or password (listings
 * show URLs; the signature is how a receiver authenticates us), and no IP literal the guard
 * refuses. Throws `WebhookTargetError` saying what is wrong.
 */
export function parseWebhookUrl(text: string, policy: TargetPolicy): URL {
  const trimmed = text.trim();
  if (trimmed.length > MAX_URL_LENGTH)
    throw new WebhookTargetError(`must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new WebhookTargetError('is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WebhookTargetError('must start with http:// or https://');
  if (!url.hostname) throw new WebhookTargetError('must name a host');
  if (url.username || url.password) throw new WebhookTargetError('must not contain a user name or password');
  const literal = literalAddress(url);
  const refused = literal === null ? null : refusal(literal, policy);
  if (refused) throw new WebhookTargetError(`is refused: ${refused}`);
  return url;
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** Resolves `hostname` and refuses it when any of its addresses is refused. */
export async function resolveChecked(
  hostname: string,
  policy: TargetPolicy,
  resolve: Resolver = systemResolver,
): Promise<LookupAddress[]> {
  const addresses = await resolve(hostname);
  if (addresses.length === 0) throw new Error(`${hostname} has no address`);
  for (const { address } of addresses) {
    const refused = refusal(address, policy);
    if (refused) throw new WebhookTargetError(`${hostname} resolves to ${address}: ${refused}`);
  }
  return addresses;
}

/**
 * The `lookup` for `http.request`: the socket connects to an address this function checked. Node
 * asks for every address (`all`) when it races IPv4 and IPv6, else for one.
 */
export function guardedLookup(policy: TargetPolicy, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolveChecked(hostname, policy, resolve).then(
      (addresses) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        const first = usable[0];
        if (!first) callback(new Error(`${hostname} has no IPv${family} address`), '', 0);
        else if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

const ADD_LOOKUP_TIMEOUT_MS = 5000;

/**
 * The check when an endpoint is added: a URL the guard would refuse at delivery is refused now,
 * with the reason. A name that does not resolve (yet, or within 5 s) is accepted: deliveries will
 * report it, and the check that protects is the one at every delivery.
 */
export async function checkWebhookUrl(
  text: string,
  policy: TargetPolicy,
  resolve: Resolver = systemResolver,
): Promise<URL> {
  const url = parseWebhookUrl(text, policy);
  if (literalAddress(url) !== null) return url;
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((done) => {
    timer = setTimeout(done, ADD_LOOKUP_TIMEOUT_MS);
  });
  try {
    await Promise.race([resolveChecked(url.hostname, policy, resolve), gaveUp]);
  } catch (error) {
    if (error instanceof WebhookTargetError) throw error;
  } finally {
    clearTimeout(timer);
  }
  return url;
}

/** The IP literal check at delivery (Node connects to a literal without calling `lookup`). */
export function refusedLiteral(url: URL, policy: TargetPolicy): string | null {
  const literal = literalAddress(url);
  return literal === null ? null : refusal(literal, policy);
}
