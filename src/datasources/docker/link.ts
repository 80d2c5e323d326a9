// The `rel="next"` target of a Link header (RFC 8288), resolved against the page that carried it.

export function nextLink(header: string | null, current: URL): URL | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const rels = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2]!);
    const rel = (rels?.[1] ?? rels?.[2] ?? '').toLowerCase().split(/\s+/);
    if (!rel.includes('next')) continue;
    try {
      return new URL(match[1]!, current);
    } catch {
      return null;
    }
  }
  return null;
}
