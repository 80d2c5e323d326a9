// An HTTP dispatcher that connects only where a NetworkPolicy allows. The check is made on the address
// actually connected to: the host name is resolved here, each address checked, and the socket opened to
// the address that passed (so a DNS answer that changes between check and connect cannot slip through).
// IP literals in any spelling the URL parser accepts (decimal, hex, IPv4-mapped IPv6) arrive here
// normalised and are checked the same way. Every request of the registry client, redirect hops, token
// realms and tag-list pages included, goes through one of these.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { NetworkPolicy } from './network-policy.js';

/** Resolves a host name to its addresses (injectable: tests resolve names of their own). */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** The connection was refused by the policy: callers show one neutral message, nothing lower-level. */
export class HostNotAllowedError extends Error {
  override readonly name = 'HostNotAllowedError';
  readonly code = 'DOCKHAND_HOST_NOT_ALLOWED';
  constructor() {
    super('host not allowed');
  }
}

export interface GuardedAgentOptions {
  policy: NetworkPolicy;
  resolver?: Resolver;
  /** Connect timeout (the request's own timeout still covers the whole exchange). */
  connectTimeoutMs?: number;
}

export function guardedAgent(options: GuardedAgentOptions): Agent {
  const { policy } = options;
  const resolver = options.resolver ?? systemResolver;
  const connect = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 });
  return new Agent({
    connect: (request, callback) => {
      const hostname = request.hostname.replace(/^\[|\]$/g, '');
      const port = String(request.port || (request.protocol === 'https:' ? 443 : 80));
      const addresses = isIP(hostname) ? Promise.resolve([hostname]) : resolver(hostname);
      addresses.then(
        (found) => {
          const address = found.find((candidate) => policy.allows(hostname, port, candidate));
          if (address === undefined) return callback(new HostNotAllowedError(), null);
          // `host` keeps the name, so TLS still sends and verifies it (SNI, certificate).
          connect({ ...request, hostname: address }, callback);
        },
        (error: Error) => callback(error, null),
      );
    },
  });
}
