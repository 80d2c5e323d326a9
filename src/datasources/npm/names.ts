// Where a package's packument lives. Names come from repository files, so only names npm itself could
// publish are asked for: nothing that could step out of the registry's path or into its query.

/** npm package names (validate-npm-package-name, legacy upper case allowed), at most 214 characters. */
const NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;

export function isValidPackageName(name: string): boolean {
  return name.length <= 214 && NAME.test(name);
}

/**
 * The registry's base URL with a trailing slash, or null when it is not plain HTTP(S) or carries
 * credentials (those come only from the operator's registry settings, never from a URL in a file).
 */
export function registryBase(registryUrl: string): URL | null {
  let url: URL;
  try {
    url = new URL(registryUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.search || url.hash) return null;
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** `@scope/name` → `<base>@scope%2fname`, the form npm's client asks for. */
export function packumentUrl(base: URL, name: string): URL {
  const escaped = name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
  // encodeURIComponent writes `%2F`; npm writes `%2f` (registries accept both).
  return new URL(escaped.replace(/%2F/g, '%2f'), base);
}
