import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which kind of address an IP is, for the webhook SSRF guard: only `public` addresses receive
 * deliveries unless private networks are allowed. IPv6 forms that carry an IPv4 address
 * (IPv4-mapped `::ffff:a.b.c.d`, IPv4-translated, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are
 * judged by the IPv4 address inside, since that is where the packets end up. Outside 2000::/3
 * (global unicast) nothing in IPv6 is public.
 */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'multicast'
  | 'documentation'
  | 'reserved'
  | 'invalid';

type V4Range = [a: number, b: number, c: number, d: number, prefix: number, kind: AddressClass];

// IANA IPv4 special-purpose registry, plus multicast and the reserved 240/4 (broadcast included).
const V4_RANGES: V4Range[] = [
  [0, 0, 0, 0, 8, 'unspecified'],
  [10, 0, 0, 0, 8, 'private'],
  [100, 64, 0, 0, 10, 'cgnat'],
  [127, 0, 0, 0, 8, 'loopback'],
  [169, 254, 0, 0, 16, 'link-local'],
  [172, 16, 0, 0, 12, 'private'],
  [192, 0, 0, 0, 24, 'reserved'],
  [192, 0, 2, 0, 24, 'documentation'],
  [192, 88, 99, 0, 24, 'reserved'],
  [192, 168, 0, 0, 16, 'private'],
  [198, 18, 0, 0, 15, 'reserved'],
  [198, 51, 100, 0, 24, 'documentation'],
  [203, 0, 113, 0, 24, 'documentation'],
  [224, 0, 0, 0, 4, 'multicast'],
  [240, 0, 0, 0, 4, 'reserved'],
];

function v4Number(bytes: readonly number[]): number {
  return (((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!) >>> 0;
}

function classifyV4(bytes: readonly number[]): AddressClass {
  const value = v4Number(bytes);
  for (const [a, b, c, d, prefix, kind] of V4_RANGES) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if ((value & mask) >>> 0 === (v4Number([a, b, c, d]) & mask) >>> 0) return kind;
  }
  return 'public';
}

/** The eight 16-bit groups of a valid IPv6 text (a trailing dotted quad and a zone id allowed). */
function v6Groups(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (dotted) {
    const [, a, b, c, d] = dotted.map(Number) as [number, number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array(8 - front.length - back.length).fill('0');
  return [...front, ...middle, ...back].map((group) => Number.parseInt(group, 16));
}

const bytesOf = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff];

function classifyV6(g: number[]): AddressClass {
  const zeros = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  if (zeros(0, 8)) return 'unspecified';
  if (zeros(0, 7) && g[7] === 1) return 'loopback';
  if (zeros(0, 5) && g[5] === 0xffff) return classifyV4(bytesOf(g[6]!, g[7]!));
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return classifyV4(bytesOf(g[6]!, g[7]!));
  if (zeros(0, 6)) return 'reserved'; // IPv4-compatible, deprecated
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return classifyV4(bytesOf(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private'; // local-use NAT64
  if (g[0] === 0x100 && zeros(1, 4)) return 'reserved'; // discard-only
  if (g[0] === 0x2002) return classifyV4(bytesOf(g[1]!, g[2]!));
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'documentation';
  if (g[0] === 0x2001 && g[1]! < 0x200) return 'reserved'; // IETF protocol assignments, Teredo
  if (g[0] === 0x3fff && g[1]! < 0x1000) return 'documentation';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private'; // unique local
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private'; // site-local, deprecated
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  return (g[0]! & 0xe000) === 0x2000 ? 'public' : 'reserved';
}

export function classifyAddress(address: string): AddressClass {
  if (isIPv4(address)) return classifyV4(address.split('.').map(Number));
  if (isIPv6(address.split('%')[0]!)) return classifyV6(v6Groups(address));
  return 'invalid';
}
