// Top-level sections of a YAML lockfile, cut by lines, so that only the small sections a reader needs are
// parsed: a pnpm lock's `packages`/`snapshots` are most of its megabytes and hold nothing a manifest's
// direct dependencies need. Sections are read by parseSyml (js-yaml's failsafe schema): several times
// faster than the yaml package on these sections, and every scalar stays a string (`18` as a specifier).
import { parseSyml } from '@yarnpkg/parsers';

export interface Section {
  /** 1-based line of the section's key. */
  line: number;
  text: string;
}

/** Each top-level key's text (its line and the indented lines under it). */
export function topLevelSections(text: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  let key: string | undefined;
  let start = 0;
  let startLine = 1;
  let line = 1;
  const close = (end: number): void => {
    if (key !== undefined) sections.set(key, { line: startLine, text: text.slice(start, end) });
  };
  for (let at = 0; at < text.length; line++) {
    const newline = text.indexOf('\n', at);
    const next = newline === -1 ? text.length : newline + 1;
    const first = text[at];
    if (
      first !== undefined &&
      first !== ' ' &&
      first !== '\t' &&
      first !== '#' &&
      first !== '\n' &&
      first !== '\r'
    ) {
      close(at);
      const colon = text.indexOf(':', at);
      key = text
        .slice(at, colon === -1 || colon > next ? next : colon)
        .trim()
        .replace(/^(['"])(.*)\1$/, '$2');
      start = at;
      startLine = line;
    }
    at = next;
  }
  close(text.length);
  return sections;
}

/** A section's value, parsed; throws with the file's line number when the section is malformed. */
export function parseSection(section: Section, key: string): unknown {
  try {
    return (parseSyml(section.text) as Record<string, unknown>)[key];
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark?.line; // 0-based
    // js-yaml may point just past the end of the section (unclosed `[`): keep to its last line.
    const last = section.text.replace(/\s+$/, '').split('\n').length - 1;
    throw new SectionError(
      (error as Error).message.split('\n')[0]!,
      section.line + Math.min(mark ?? 0, last),
    );
  }
}

export class SectionError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}
