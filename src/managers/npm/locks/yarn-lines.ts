// A linear reader for yarn lockfiles as yarn writes them: descriptor → version (and Berry's resolution).
// parseSyml needs a PEG parser for v1 (about 2 ms per 1,000 lines) and js-yaml for Berry (about 100 ms
// per megabyte), too slow for multi-megabyte locks; both layouts are line oriented (keys at column 0,
// `version` at indent 2), so one pass over lines reads what Dockhand needs. The corpus test checks that
// it reads what parseSyml reads; a file laid out otherwise returns null and goes to parseSyml.

export interface YarnEntry {
  version: string;
  resolution?: string;
}

/** Descriptor → entry, or null when the text is not laid out as yarn writes it. */
export function readYarnLines(content: string, berry: boolean): Map<string, YarnEntry> | null {
  const entries = new Map<string, YarnEntry>();
  const separator = berry ? ': ' : ' ';
  let current: YarnEntry[] = [];
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
      current = descriptors.map((descriptor) => {
        const entry: YarnEntry = { version: '' };
        entries.set(descriptor, entry);
        return entry;
      });
    } else if (!asYarnWrites(line)) {
      return null;
    } else if (line.startsWith('  ') && line[2] !== ' ') {
      const field = line.startsWith(`  version${separator}`)
        ? 'version'
        : line.startsWith(`  resolution${separator}`)
          ? 'resolution'
          : null;
      if (!field) continue;
      const value = unquote(line.slice(field.length + 2 + separator.length).trim());
      if (value === null) return null;
      for (const entry of current) entry[field] = value;
    }
  }
  for (const [descriptor, entry] of entries) if (!entry.version) entries.delete(descriptor);
  return entries;
}

// yarn indents by two spaces and writes no flow collections: anything else is for parseSyml to judge.
function asYarnWrites(line: string): boolean {
  let indent = 0;
  while (line[indent] === ' ') indent++;
  if (indent === line.length) return true;
  if (indent % 2 === 1) return false;
  const colon = line.indexOf(': ', indent);
  const value = colon === -1 ? '' : line.slice(colon + 2).trimStart();
  return !value.startsWith('[') && !value.startsWith('{');
}

// v1: `"a@^1", a@^2`; Berry: `"a@npm:^1, a@npm:^2"` (one quoted string).
function splitKey(key: string): string[] | null {
  const whole = key.startsWith('"') && key.endsWith('"') && key.length > 1 ? unquote(key) : null;
  const parts = whole !== null && !whole.includes('"') ? whole.split(',') : key.split(',');
  const out: string[] = [];
  for (const part of parts) {
    const descriptor = whole !== null && !whole.includes('"') ? part.trim() : unquote(part.trim());
    if (descriptor === null || descriptor === '') return null;
    out.push(descriptor);
  }
  return out;
}

function unquote(text: string): string | null {
  if (!text.startsWith('"')) return text.includes('"') ? null : text;
  if (text.length < 2 || !text.endsWith('"')) return null;
  const inner = text.slice(1, -1);
  if (!inner.includes('\\') && !inner.includes('"')) return inner;
  try {
    return JSON.parse(text) as string;
  } catch {
    return null;
  }
}
