// A linear reader for yarn v1 lockfiles: descriptor → version. parseSyml's grammar for this format is a
// PEG parser that needs about 2 ms per 1,000 lines, too slow for multi-megabyte locks; the format is line
// oriented (keys at column 0, `version` at indent 2), so one pass over lines reads what Dockhand needs.
// The corpus test checks that it reads the same as parseSyml; malformed files go to parseSyml for its error.

/** Descriptor → version, or null when the text is not laid out as yarn writes it. */
export function readYarnClassic(content: string): Map<string, string> | null {
  const versions = new Map<string, string>();
  let current: string[] = [];
  let at = 0;
  while (at < content.length) {
    const newline = content.indexOf('\n', at);
    const end = newline === -1 ? content.length : newline;
    const line = content.charCodeAt(end - 1) === 13 ? content.slice(at, end - 1) : content.slice(at, end);
    at = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    if (line[0] !== ' ') {
      if (!line.endsWith(':')) return null;
      const descriptors = splitKey(line.slice(0, -1));
      if (!descriptors) return null;
      current = descriptors;
    } else if (line.startsWith('  version ') && line[2] !== ' ') {
      const version = unquote(line.slice(10).trim());
      if (version === null) return null;
      for (const descriptor of current) versions.set(descriptor, version);
    } else if (line.trim() === '') continue;
  }
  return versions;
}

// `"a@^1", a@^2` → [a@^1, a@^2].
function splitKey(key: string): string[] | null {
  const out: string[] = [];
  for (const part of key.split(',')) {
    const descriptor = unquote(part.trim());
    if (descriptor === null || descriptor === '') return null;
    out.push(descriptor);
  }
  return out;
}

function unquote(text: string): string | null {
  if (!text.startsWith('"')) return text.includes('"') ? null : text;
  if (text.length < 2 || !text.endsWith('"')) return null;
  const inner = text.slice(1, -1);
  if (!inner.includes('\\')) return inner;
  try {
    return JSON.parse(text) as string;
  } catch {
    return null;
  }
}
