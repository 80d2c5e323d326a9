// Which addresses a process may connect to. The app refuses every address that is not on the public
// internet (loopback, private, link-local and metadata, shared, multicast, reserved, in any IPv6
// spelling) unless the operator allows that host or range; the CLI, which runs as its user on the
// user's network, refuses only link-local (cloud metadata), multicast and unspecified addresses. Pure.
import { isIP } from 'node:net';
import { classifyAddress, inCidr, parseAddress, parseCidr, type AddressClass, type Cidr } from './address.js';

interface NameEntry {
  name: string;
  port?: string;
}

export interface NetworkPolicyOptions {
  /** Address classes allowed without an entry (the CLI's loopback and private networks). */
  allowClasses?: readonly AddressClass[];
  /**
   * What may be contacted although not public: host names (`registry.internal`, any port), host names
   * with a port (`registry.internal:5000`), addresses and CIDR ranges (`10.20.0.0/16`, `fd00::/8`).
   */
  allow?: readonly string[];
}

export class NetworkPolicy {
  private readonly classes: ReadonlySet<AddressClass>;
  private readonly names: NameEntry[] = [];
  private readonly ranges: Cidr[] = [];

  constructor(private readonly options: NetworkPolicyOptions = {}) {
    this.classes = new Set(options.allowClasses ?? []);
    for (const entry of options.allow ?? []) {
      const range = parseCidr(entry);
      if (range) this.ranges.push(range);
      else this.names.push(parseNameEntry(entry));
    }
  }

  /** The app's policy: public addresses only, plus the operator's entries. */
  static publicOnly(allow: readonly string[] = []): NetworkPolicy {
    return new NetworkPolicy({ allow });
  }

  /** The CLI's policy: the user's own loopback and private networks too, never link-local (metadata). */
  static local(allow: readonly string[] = []): NetworkPolicy {
    return new NetworkPolicy({ allowClasses: ['loopback', 'private', 'shared', 'reserved'], allow });
  }

  /** Anything (tests of other parts; never the default of a program). */
  static unrestricted(): NetworkPolicy {
    return new NetworkPolicy({
      allowClasses: ['loopback', 'private', 'link-local', 'shared', 'multicast', 'unspecified', 'reserved'],
    });
  }

  /** This policy, also allowing `allow` (the hosts of registries the operator configured). */
  with(allow: readonly string[]): NetworkPolicy {
    return new NetworkPolicy({ ...this.options, allow: [...(this.options.allow ?? []), ...allow] });
  }

  /**
   * May a connection for `hostname` (as in the URL: a name or an IP literal) on `port` go to `address`
   * (the IP it resolved to)?
   */
  allows(hostname: string, port: string, address: string): boolean {
    const bytes = parseAddress(address);
    if (!bytes) return false;
    const kind = classifyAddress(bytes);
    if (kind === null || this.classes.has(kind)) return true;
    if (this.ranges.some((range) => inCidr(bytes, range))) return true;
    const name = hostname.toLowerCase().replace(/^\[|\]$/g, '');
    return this.names.some((entry) => entry.name === name && (!entry.port || entry.port === port));
  }
}

/** `host`, `host:port` or `[v6]:port`; names are compared lower-case. */
function parseNameEntry(entry: string): NameEntry {
  const text = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { name: bracketed[1]!, ...(bracketed[2] && { port: bracketed[2] }) };
  const withPort = /^([^:]+):(\d+)$/.exec(text);
  if (withPort && !isIP(text)) return { name: withPort[1]!, port: withPort[2]! };
  return { name: text };
}

/** Is `entry` something NetworkPolicy understands (for configuration errors)? */
export function isNetworkEntry(entry: string): boolean {
  if (parseCidr(entry)) return true;
  return /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/i.test(
    entry.trim(),
  );
}
