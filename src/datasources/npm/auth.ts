// Which operator-configured registry a request goes to, and so which Authorization it may carry. A
// registry URL named by a repository (`.npmrc` `registry=`) gets credentials only when it is one the
// operator configured with them: same scheme, host and port, and a path under the configured one.
import { registryBase } from './names.js';

/** A registry the operator configured (never read from a repository). */
export interface NpmRegistryConfig {
  /** Base URL (`https://npm.pkg.github.com/`, `https://nexus.corp/repository/npm/`). */
  url: string;
  /** The full Authorization header value (`Bearer …`, `Basic …`). */
  authorization?: string;
}

/** The configured registry whose URL is the longest prefix of `base`, if any. */
export function findRegistry(
  registries: readonly NpmRegistryConfig[],
  base: URL,
): NpmRegistryConfig | undefined {
  let best: { entry: NpmRegistryConfig; length: number } | undefined;
  for (const entry of registries) {
    const configured = registryBase(entry.url);
    if (!configured || configured.origin !== base.origin) continue;
    if (!base.pathname.startsWith(configured.pathname)) continue;
    if (!best || configured.pathname.length > best.length)
      best = { entry, length: configured.pathname.length };
  }
  return best?.entry;
}
