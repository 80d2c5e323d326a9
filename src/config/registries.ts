// Turns the registries an operator (or a CLI user) configured into what the registry client uses:
// entries limited to the repositories they are for, credentials read from the environment they name,
// several sources for one host folded into one entry. Repository configs only name hosts; a named host
// nobody configured is worth a warning, since its lookups go out anonymously.
import { linearRegExp } from '../core/linear-regex.js';
import { normalHost } from '../datasources/docker/hosts.js';
import type { RegistryHostConfig } from '../datasources/docker/types.js';
import type { OperatorRegistry } from './operator.js';
import type { RegistryConfig } from './schema.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ResolveRegistriesOptions {
  env: Env;
  warn?: (message: string) => void;
}

/** A configured registry, with the repositories it is for (all when absent). */
export type ScopedRegistry = RegistryHostConfig & { repositories?: readonly string[] };

/** Credentials read from the environment the entries name (once, when a process starts). */
export function resolveRegistries(
  entries: readonly (OperatorRegistry | RegistryConfig)[],
  options: ResolveRegistriesOptions,
): ScopedRegistry[] {
  return entries.map((entry) => {
    const password = entry.passwordEnv ? options.env[entry.passwordEnv] : undefined;
    if (entry.passwordEnv && password === undefined)
      options.warn?.(
        `${entry.host}: environment variable ${entry.passwordEnv} is not set; asking anonymously`,
      );
    const username = (entry.usernameEnv && options.env[entry.usernameEnv]) || '';
    const repositories = 'repositories' in entry ? entry.repositories : undefined;
    return {
      host: entry.host,
      ...(password !== undefined && { credentials: { username, password } }),
      ...(entry.insecure !== undefined && { insecure: entry.insecure }),
      ...(entry.mirror !== undefined && { mirror: entry.mirror }),
      ...(repositories && { repositories }),
    };
  });
}

/** The registries a job of `repository` (`owner/name`) uses: those without a scope, and those for it. */
export function registriesFor(entries: readonly ScopedRegistry[], repository: string): RegistryHostConfig[] {
  return entries.flatMap(({ repositories, ...entry }) =>
    !repositories || repositories.some((pattern) => repositoryPattern(pattern).test(repository))
      ? [entry]
      : [],
  );
}

/** `acme/*`: `*` stays within one path segment; names compare case-insensitively, as GitHub's do. */
function repositoryPattern(pattern: string) {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return linearRegExp(`^${source}$`, { ignoreCase: true });
}

/**
 * One entry per host, in order of precedence: earlier sources win field by field, later ones fill in
 * what they left out (a user's mirror for docker.io keeps the credentials of `docker login`).
 */
export function mergeRegistries(...sources: readonly RegistryHostConfig[][]): RegistryHostConfig[] {
  const byHost = new Map<string, RegistryHostConfig>();
  for (const entry of sources.flat()) {
    const key = normalHost(entry.host);
    const known = byHost.get(key);
    byHost.set(key, known ? { ...entry, ...known } : entry);
  }
  return [...byHost.values()];
}

/** Hosts a repository's config names that no configured registry (for it) covers. */
export function unconfiguredNames(
  named: readonly RegistryConfig[],
  configured: readonly RegistryHostConfig[],
): string[] {
  const known = new Set(configured.map((entry) => normalHost(entry.host)));
  return named.map((entry) => entry.host).filter((host) => !known.has(normalHost(host)));
}
