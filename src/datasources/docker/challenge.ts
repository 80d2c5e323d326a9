// WWW-Authenticate parsing (RFC 7235 / RFC 6750): `Bearer realm="…",service="…",scope="…"` or
// `Basic realm="…"`. Values may be quoted (with backslash escapes) or bare tokens.

export interface Challenge {
  scheme: 'bearer' | 'basic';
  params: Record<string, string>;
}

const PARAM = /\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)/y;

/** The first Bearer or Basic challenge in the header, or null when there is none we can answer. */
export function parseChallenge(header: string | null): Challenge | null {
  if (!header) return null;
  const match = /^\s*(Bearer|Basic)(?:\s+|$)/i.exec(header);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase() as Challenge['scheme'];
  const params: Record<string, string> = {};
  PARAM.lastIndex = match[0].length;
  while (PARAM.lastIndex < header.length) {
    const start = PARAM.lastIndex;
    const param = PARAM.exec(header);
    if (!param || PARAM.lastIndex === start) break;
    const value = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? '');
    params[param[1]!.toLowerCase()] = value;
  }
  return { scheme, params };
}
