// A lockfile names where each package came from (`resolved`, `tarball`, `url`), and some tools fetch
// from there while re-locking (yarn v1 downloads every tarball; Berry computes checksums of archives).
// In the app those URLs are the repository's words: a lock naming `http://169.254.169.254/…` or an
// internal host would have the worker's package manager connect to it, outside the network guard the
// registry clients go through. So, given the registries the tool is told to use, every URL host in the
// lockfile must be one of them or a public registry; otherwise the lock is not regenerated. Pure.
import type { RelockRegistries } from './request.js';

/** Hosts package managers write into lockfiles for the public registries. */
const PUBLIC_REGISTRY_HOSTS: ReadonlySet<string> = new Set([
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'pypi.org',
  'files.pythonhosted.org',
]);

const URL_HOST = /\bhttps?:\/\/([^\s"'/?#\\]+)/gi;

/** The first host the lockfile names that is neither a configured registry nor a public one. */
export function foreignLockHost(lockfile: string, registries: RelockRegistries): string | undefined {
  const allowed = new Set(PUBLIC_REGISTRY_HOSTS);
  for (const url of [registries.npm, registries.pypi, ...Object.values(registries.npmScopes ?? {})]) {
    const host = hostOf(url);
    if (host) allowed.add(host);
  }
  for (const match of lockfile.matchAll(URL_HOST)) {
    const host = match[1]!.replace(/^[^@]*@/, '').toLowerCase();
    if (!allowed.has(host)) return host;
  }
  return undefined;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}
