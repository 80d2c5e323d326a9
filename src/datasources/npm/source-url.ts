// Turns a packument's `repository` and `homepage` into links safe to show in a pull request: only
// http(s), never credentials (repository URLs sometimes carry a token), never unbounded text.

const MAX_URL = 2048;

/** A web URL, without credentials, query or fragment kept only for homepages; null if none. */
export function webUrl(value: unknown, keepQuery = false): string | null {
  if (typeof value !== 'string' || value.length > MAX_URL) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  url.username = '';
  url.password = '';
  if (!keepQuery) {
    url.search = '';
    url.hash = '';
  }
  return url.href;
}

const HOSTED: Record<string, string> = {
  github: 'https://github.com/',
  gitlab: 'https://gitlab.com/',
  bitbucket: 'https://bitbucket.org/',
};

/**
 * The browsable URL of `repository` (a string or `{ url }`): `git+https://…/x.git`, `git://…`,
 * `git@host:owner/repo.git`, `github:owner/repo` and the `owner/repo` shorthand (GitHub).
 */
export function repositoryUrl(repository: unknown): string | null {
  const raw =
    typeof repository === 'string'
      ? repository
      : typeof repository === 'object' && repository !== null
        ? (repository as { url?: unknown }).url
        : undefined;
  if (typeof raw !== 'string' || raw.length > MAX_URL) return null;
  const text = raw.trim();
  const shorthand = /^(?:(github|gitlab|bitbucket):)?([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(text);
  if (shorthand) return `${HOSTED[shorthand[1] ?? 'github']}${shorthand[2]}/${shorthand[3]}`;
  const scp = /^(?:[\w.-]+@)?([\w.-]+\.[a-z]{2,}):([\w.-]+(?:\/[\w.-]+)+)\/?$/i.exec(text);
  const url = scp
    ? webUrl(`https://${scp[1]}/${scp[2]}`)
    : webUrl(text.replace(/^git\+/, '').replace(/^(?:git|ssh):\/\//, 'https://'));
  return url && url.replace(/\.git\/?$/, '').replace(/\/$/, '');
}
