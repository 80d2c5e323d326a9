// IP addresses as 16 bytes (IPv4 as IPv4-mapped IPv6), CIDR ranges, and which ranges are not the
// public internet. Pure: the network guard (guard.ts) asks it about each address it would connect to.
import { isIPv4, isIPv6 } from 'node:net';

export type AddressBytes = Uint8Array;

/** The 16 bytes of an IPv4 or IPv6 literal (brackets and a zone index allowed), or null. */
export function parseAddress(text: string): AddressBytes | null {
  const literal = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const bare = literal.replace(/%.*$/, '');
  if (isIPv4(bare)) return mapped(bare.split('.').map(Number));
  if (!isIPv6(bare)) return null;
  return parseIPv6(bare);
}

function mapped(octets: number[]): AddressBytes {
  const bytes = new Uint8Array(16);
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  bytes.set(octets, 12);
  return bytes;
}

function parseIPv6(text: string): AddressBytes {
  const bytes = new Uint8Array(16);
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string | undefined): number[] => {
    if (!part) return [];
    const out: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else out.push(parseInt(piece, 16));
    }
    return out;
  };
  const front = groups(head);
  const back = groups(tail);
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  all.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return bytes;
}

export interface Cidr {
  bytes: AddressBytes;
  /** Prefix length over the 16-byte form (an IPv4 /8 is /104 here). */
  bits: number;
}

/** `10.0.0.0/8`, `fd00::/8`, or a single address (`192.0.2.7`, `::1`); null when not one. */
export function parseCidr(text: string): Cidr | null {
  const [address, length, extra] = text.trim().split('/');
  if (address === undefined || extra !== undefined) return null;
  const bytes = parseAddress(address);
  if (!bytes) return null;
  const v4 = isIPv4(address);
  const max = v4 ? 32 : 128;
  const bits = length === undefined ? max : /^\d{1,3}$/.test(length) ? Number(length) : NaN;
  if (!(bits >= 0 && bits <= max)) return null;
  return { bytes, bits: v4 ? bits + 96 : bits };
}

export function inCidr(address: AddressBytes, range: Cidr): boolean {
  for (let bit = 0; bit < range.bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    const byte = bit >> 3;
    if ((address[byte]! & mask) !== (range.bytes[byte]! & mask)) return false;
  }
  return true;
}

/** Why an address is not on the public internet, or null when it is. */
export type AddressClass =
  'loopback' | 'private' | 'link-local' | 'shared' | 'multicast' | 'unspecified' | 'reserved';

const RANGES: [string, AddressClass][] = [
  // IPv4 (matched in their IPv4-mapped form)
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared'], // carrier-grade NAT; also Alibaba Cloud's metadata address
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'], // cloud metadata (169.254.169.254) lives here
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // includes 255.255.255.255
  // IPv6
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['100::/64', 'reserved'],
  ['2001::/23', 'reserved'], // IETF protocol assignments, Teredo (2001::/32) among them
  ['2001:db8::/32', 'reserved'],
  ['fc00::/7', 'private'], // unique local; AWS's IPv6 metadata address fd00:ec2::254 is one
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'], // deprecated site-local
  ['ff00::/8', 'multicast'],
];
const CLASSIFIED = RANGES.map(([cidr, kind]) => ({ range: parseCidr(cidr)!, kind }));

/** IPv6 forms that carry an IPv4 address, whose IPv4 address is what counts. */
const EMBEDDING: { range: Cidr; offset: number }[] = [
  { range: parseCidr('::/96')!, offset: 12 }, // IPv4-compatible (deprecated)
  { range: parseCidr('64:ff9b::/96')!, offset: 12 }, // NAT64
  { range: parseCidr('64:ff9b:1::/48')!, offset: 12 }, // local-use NAT64
  { range: parseCidr('2002::/16')!, offset: 2 }, // 6to4
];

export function classifyAddress(address: AddressBytes): AddressClass | null {
  const direct = CLASSIFIED.find(({ range }) => inCidr(address, range))?.kind ?? null;
  // `::` and `::1` sit inside ::/96 but are IPv6's own unspecified and loopback addresses.
  if (direct === 'unspecified' || direct === 'loopback') return direct;
  const embedded = EMBEDDING.find(({ range }) => inCidr(address, range));
  if (!embedded) return direct;
  return classifyAddress(mapped([...address.slice(embedded.offset, embedded.offset + 4)]));
}
