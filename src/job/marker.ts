// The hidden marker in a Dockhand pull request body: what the PR proposes and what Dockhand last did to
// it, as JSON inside an HTML comment. Reading tolerates anything a person may have done to the body.
import type { IgnoreMarker, PullMarker } from './types.js';
import { isRecord } from '../core/is-record.js';

const OPEN = '<!-- dockhand:pr ';
const CLOSE = ' -->';
/** Every marker in a body; the JSON never contains `>` (escaped), so the first `-->` ends it. */
const MARKERS = /<!--\s*dockhand:pr\s+([\s\S]*?)\s*-->/g;
/** A marker with the line breaks around it, replaced by one blank line. */
const MARKERS_AND_BREAKS = /(?:\r?\n)*<!--\s*dockhand:pr\s+[\s\S]*?\s*-->(?:\r?\n)*/g;
const SCOPES: ReadonlySet<string> = new Set<IgnoreMarker['scope']>(['major', 'minor', 'version', 'image']);

export function renderMarker(marker: PullMarker): string {
  return `${OPEN}${safeJson(normalise(marker))}${CLOSE}`;
}

/** The last well-formed marker of a body, or null (no marker, broken JSON, wrong shape). */
export function parseMarker(body: string | null | undefined): PullMarker | null {
  const found = [...(body ?? '').matchAll(MARKERS)];
  for (const match of found.reverse()) {
    const marker = validate(tryJson(match[1]!));
    if (marker) return marker;
  }
  return null;
}

/** The body with its marker(s) replaced by this one, at the end. */
export function withMarker(body: string | null | undefined, marker: PullMarker): string {
  const text = (body ?? '').replace(MARKERS_AND_BREAKS, '\n\n').trim();
  return text === '' ? renderMarker(marker) : `${text}\n\n${renderMarker(marker)}`;
}

/** JSON that cannot end the comment or open a tag: `<`, `>` and `&` as \u escapes (still valid JSON). */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Known fields only, in a fixed order (the rendered marker is stable). */
function normalise(m: PullMarker): PullMarker {
  return {
    branch: m.branch,
    fingerprint: m.fingerprint,
    ...(m.commit !== undefined && { commit: m.commit }),
    ...(m.base !== undefined && { base: m.base }),
    ...(m.ignore !== undefined && {
      ignore: {
        scope: m.ignore.scope,
        image: m.ignore.image,
        ...(m.ignore.version !== undefined && { version: m.ignore.version }),
      },
    }),
    ...(m.notified !== undefined && { notified: m.notified }),
    ...(m.recreated !== undefined && { recreated: m.recreated }),
    ...(m.closedBy !== undefined && { closedBy: m.closedBy }),
    ...(m.automerge !== undefined && { automerge: { head: m.automerge.head } }),
  };
}

function validate(value: unknown): PullMarker | null {
  if (!isRecord(value) || typeof value.branch !== 'string' || typeof value.fingerprint !== 'string')
    return null;
  if (!optional(value.commit, 'string') || !optional(value.base, 'string')) return null;
  if (!optional(value.notified, 'boolean') || !optional(value.recreated, 'boolean')) return null;
  if (value.closedBy !== undefined && value.closedBy !== 'dockhand' && value.closedBy !== 'user') return null;
  const automerge = value.automerge;
  if (automerge !== undefined && (!isRecord(automerge) || typeof automerge.head !== 'string')) return null;
  let ignore: IgnoreMarker | undefined;
  if (value.ignore !== undefined) {
    const i = value.ignore;
    if (!isRecord(i) || typeof i.scope !== 'string' || !SCOPES.has(i.scope) || typeof i.image !== 'string') {
      return null;
    }
    if (!optional(i.version, 'string')) return null;
    ignore = {
      scope: i.scope as IgnoreMarker['scope'],
      image: i.image,
      ...(typeof i.version === 'string' && { version: i.version }),
    };
  }
  return normalise({
    branch: value.branch,
    fingerprint: value.fingerprint,
    ...(typeof value.commit === 'string' && { commit: value.commit }),
    ...(typeof value.base === 'string' && { base: value.base }),
    ...(ignore && { ignore }),
    ...(typeof value.notified === 'boolean' && { notified: value.notified }),
    ...(typeof value.recreated === 'boolean' && { recreated: value.recreated }),
    ...((value.closedBy === 'dockhand' || value.closedBy === 'user') && { closedBy: value.closedBy }),
    ...(isRecord(automerge) && typeof automerge.head === 'string' && { automerge: { head: automerge.head } }),
  });
}

function optional(value: unknown, type: 'string' | 'boolean'): boolean {
  return value === undefined || typeof value === type;
}
