import { describe, expect, it } from 'vitest';
import { classifyAddress, parseAddress, parseCidr } from '../../src/http/address.js';
import { NetworkPolicy } from '../../src/http/network-policy.js';

/** How the URL parser hands a host to the connector: decimal, hex and octal IPv4 come out normalised. */
const hostOf = (url: string) => new URL(url).hostname;

const classify = (text: string) => classifyAddress(parseAddress(text)!);

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'private'], // AWS's IPv6 metadata service
    ['169.254.169.254', 'link-local'], // cloud metadata
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'shared'],
    ['100.100.100.200', 'shared'], // Alibaba Cloud metadata
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    // IPv4 inside IPv6: the IPv4 address decides.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:a9fe:a9fe]', 'link-local'],
    ['::127.0.0.1', 'loopback'], // IPv4-compatible (deprecated)
    ['64:ff9b::a9fe:a9fe', 'link-local'], // NAT64
    ['2002:7f00:1::1', 'loopback'], // 6to4
    ['2002:0a00:0001::', 'private'],
  ])('%s is %s', (address, expected) => {
    expect(classify(address)).toBe(expected);
  });

  it.each(['8.8.8.8', '140.82.112.3', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2002:0808:0808::'])(
    '%s is public',
    (address) => {
      expect(classify(address)).toBeNull();
    },
  );

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0xa9fea9fe/', '169.254.169.254'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
  ])('the URL parser normalises %s to %s, which is then classified', (url, host) => {
    expect(hostOf(url)).toBe(host);
    expect(classify(hostOf(url))).not.toBeNull();
  });

  it('reads CIDR ranges of both families and refuses nonsense', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ bits: 104 });
    expect(parseCidr('fd00::/8')).toMatchObject({ bits: 8 });
    expect(parseCidr('192.0.2.7')).toMatchObject({ bits: 128 });
    for (const bad of ['10.0.0.0/33', '10.0.0.0/x', 'example.com', '10.0.0.0/8/1', '::/129'])
      expect(parseCidr(bad)).toBeNull();
  });
});

describe('NetworkPolicy', () => {
  it('lets the app reach public addresses only, unless the operator allows a host, host:port or range', () => {
    const policy = NetworkPolicy.publicOnly(['registry.internal:5000', 'mirror.internal', '10.20.0.0/16']);
    expect(policy.allows('registry-1.docker.io', '443', '52.1.2.3')).toBe(true);
    expect(policy.allows('evil.example', '443', '127.0.0.1')).toBe(false);
    expect(policy.allows('registry.internal', '5000', '10.9.9.9')).toBe(true);
    expect(policy.allows('registry.internal', '5001', '10.9.9.9')).toBe(false);
    expect(policy.allows('MIRROR.internal', '443', '192.168.0.4')).toBe(true);
    expect(policy.allows('anything', '80', '10.20.3.4')).toBe(true);
    expect(policy.allows('anything', '80', '10.21.3.4')).toBe(false);
    expect(policy.allows('anything', '80', '::ffff:10.20.3.4')).toBe(true);
    expect(policy.allows('anything', '80', 'not an address')).toBe(false);
  });

  it('lets the CLI reach the user’s loopback and private networks, never link-local metadata', () => {
    const policy = NetworkPolicy.local();
    expect(policy.allows('localhost', '5000', '127.0.0.1')).toBe(true);
    expect(policy.allows('registry.lan', '443', '192.168.1.10')).toBe(true);
    expect(policy.allows('metadata.google.internal', '80', '169.254.169.254')).toBe(false);
    expect(policy.allows('x', '80', '::ffff:169.254.169.254')).toBe(false);
    expect(NetworkPolicy.local(['169.254.169.254']).allows('x', '80', '169.254.169.254')).toBe(true);
  });
});
