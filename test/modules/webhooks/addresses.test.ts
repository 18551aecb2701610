import { describe, expect, it } from 'vitest';
import { type AddressClass, classifyAddress } from '../../../src/modules/webhooks/addresses.ts';
import {
  checkWebhookUrl,
  guardedLookup,
  parseWebhookUrl,
  refusal,
  resolveChecked,
  WebhookTargetError,
} from '../../../src/modules/webhooks/target.ts';

const closed = { allowPrivateNetworks: false };
const open = { allowPrivateNetworks: true };

describe('the webhook address classifier', () => {
  it.each<[string, AddressClass]>([
    // IPv4
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.15.255.255', 'public'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.0', 'public'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['192.88.99.1', 'reserved'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['93.184.216.34', 'public'],
    ['223.255.255.255', 'public'],
    // IPv6
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:8.8.8.8', 'public'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::127.0.0.1', 'reserved'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::808:808', 'public'],
    ['64:ff9b:1::1', 'private'],
    ['100::1', 'reserved'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['2002:808:808::1', 'public'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'reserved'],
    ['2001:1ff::1', 'reserved'],
    ['3fff::1', 'documentation'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['ff05::1:3', 'multicast'],
    ['2001:4860:4860::8888', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['4000::1', 'reserved'],
    ['1::1', 'reserved'],
    // Not addresses
    ['localhost', 'invalid'],
    ['127.1', 'invalid'],
    ['', 'invalid'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('refuses everything but public addresses, unless private networks are allowed', () => {
    expect(refusal('8.8.8.8', closed)).toBeNull();
    expect(refusal('127.0.0.1', closed)).toBe('127.0.0.1 is a loopback address');
    expect(refusal('::ffff:10.0.0.1', closed)).toBe('::ffff:10.0.0.1 is a private-network address');
    expect(refusal('100.64.1.1', closed)).toBe('100.64.1.1 is a carrier-grade NAT address');
    expect(refusal('127.0.0.1', open)).toBeNull();
    expect(refusal('fe80::1', open)).toBeNull();
    expect(refusal('not-an-ip', open)).toBe('not-an-ip is not an IP address');
  });
});

describe('webhook URLs', () => {
  it('accepts http(s) URLs naming a host', () => {
    expect(parseWebhookUrl(' https://hooks.example.com/in?t=1 ', closed).href).toBe(
      'https://hooks.example.com/in?t=1',
    );
    expect(parseWebhookUrl('http://8.8.8.8:8080/', closed).host).toBe('8.8.8.8:8080');
    expect(parseWebhookUrl('http://127.0.0.1:9/', open).hostname).toBe('127.0.0.1');
  });

  it.each([
    ['ftp://hooks.example.com/', 'http:// or https://'],
    ['file:///etc/passwd', 'http:// or https://'],
    ['gopher://hooks.example.com/', 'http:// or https://'],
    ['not a url', 'not a valid URL'],
    ['https://user:pass@hooks.example.com/', 'user name or password'],
    ['http://127.0.0.1/', 'loopback'],
    ['http://[::1]:8080/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://0/', 'unspecified'],
    ['http://10.1.2.3/', 'private'],
    [`https://hooks.example.com/${'a'.repeat(2000)}`, 'at most 2000'],
  ])('refuses %s', (url, reason) => {
    expect(() => parseWebhookUrl(url, closed)).toThrow(WebhookTargetError);
    expect(() => parseWebhookUrl(url, closed)).toThrow(reason);
  });

  it('checks what a name resolves to when an endpoint is added, and accepts a name that does not resolve yet', async () => {
    const resolver = (map: Record<string, string[]>) => async (host: string) => {
      const addresses = map[host];
      if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    const dns = resolver({ 'inside.example': ['10.0.0.5'], 'outside.example': ['93.184.216.34'] });
    await expect(checkWebhookUrl('https://inside.example/hook', closed, dns)).rejects.toThrow(
      'inside.example resolves to 10.0.0.5: 10.0.0.5 is a private-network address',
    );
    expect((await checkWebhookUrl('https://inside.example/hook', open, dns)).hostname).toBe('inside.example');
    expect((await checkWebhookUrl('https://outside.example/hook', closed, dns)).hostname).toBe(
      'outside.example',
    );
    expect((await checkWebhookUrl('https://nowhere.example/hook', closed, dns)).hostname).toBe(
      'nowhere.example',
    );
  });
});

describe('the guarded lookup', () => {
  const mixed = async () => [
    { address: '93.184.216.34', family: 4 },
    { address: '::ffff:192.168.0.1', family: 6 },
  ];
  const lookup = (
    policy: { allowPrivateNetworks: boolean },
    resolve: typeof mixed,
    options: { all?: boolean; family?: number },
  ) =>
    new Promise<{ error: Error | null; address: unknown; family?: number }>((done) => {
      guardedLookup(policy, resolve)('hooks.example', options, (error, address, family) =>
        done({ error, address, family }),
      );
    });

  it('refuses a name when any address it resolves to is refused (a rebinding name answers both)', async () => {
    await expect(resolveChecked('hooks.example', closed, mixed)).rejects.toThrow(WebhookTargetError);
    const result = await lookup(closed, mixed, { all: true });
    expect(result.error).toBeInstanceOf(WebhookTargetError);
    expect(result.error?.message).toContain('::ffff:192.168.0.1 is a private-network address');
  });

  it('hands Node the checked addresses, one or all, of the family asked for', async () => {
    expect(await lookup(open, mixed, { all: true })).toMatchObject({
      error: null,
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '::ffff:192.168.0.1', family: 6 },
      ],
    });
    expect(await lookup(open, mixed, { family: 6 })).toMatchObject({
      error: null,
      address: '::ffff:192.168.0.1',
      family: 6,
    });
    const publicOnly = async () => [{ address: '93.184.216.34', family: 4 }];
    expect(await lookup(closed, publicOnly, {})).toMatchObject({
      error: null,
      address: '93.184.216.34',
      family: 4,
    });
    expect((await lookup(closed, publicOnly, { family: 6 })).error?.message).toContain('no IPv6 address');
  });
});
