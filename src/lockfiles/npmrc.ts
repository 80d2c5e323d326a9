// The .npmrc a sandboxed npm sees: registry locations only. A repository's .npmrc may carry tokens,
// certificates, a script-shell or proxies; none of that is ours to pass on, so everything is dropped
// except `registry=` and `@scope:registry=` lines whose value is a plain http(s) URL.

const REGISTRY_LINE = /^\s*(registry|@[a-z0-9][a-z0-9._~-]*:registry)\s*=\s*(.*?)\s*$/i;

/** A registry URL without credentials, query or fragment, or undefined when it is anything else. */
export function plainRegistryUrl(value: string): string | undefined {
  if (value.includes('${')) return undefined; // npm would expand it from the environment
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || url.search || url.hash) return undefined;
  return url.href;
}

/**
 * The sandbox's .npmrc: the repository's registry lines that pass plainRegistryUrl, with the operator's
 * registry (when given) in place of the repository's `registry=`.
 */
export function sanitizeNpmrc(npmrc: string | undefined, operatorRegistry?: string): string {
  const lines: string[] = [];
  let registry: string | undefined;
  for (const line of (npmrc ?? '').split(/\r?\n/)) {
    const match = REGISTRY_LINE.exec(line);
    if (!match) continue;
    const key = match[1]!.toLowerCase();
    const url = plainRegistryUrl(match[2]!);
    if (!url) continue;
    if (key === 'registry') registry = url;
    else lines.push(`${key}=${url}`);
  }
  if (operatorRegistry !== undefined) {
    registry = plainRegistryUrl(operatorRegistry);
    if (!registry) throw new Error('the configured npm registry is not a plain http(s) URL');
  }
  if (registry) lines.unshift(`registry=${registry}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
