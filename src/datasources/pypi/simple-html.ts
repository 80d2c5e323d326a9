// PEP 503 HTML project pages, read by a hand-written scanner instead of regular expressions: every
// character is looked at a bounded number of times, so hostile pages (100k unclosed `<a ` tags, an
// unterminated quote) cost linear time. A tag or quote still open at the end of the page ends reading.
import { SimpleFormatError } from './simple-json.js';
import type { DistributionFile, SimpleProject } from './types.js';

interface Element {
  tag: 'a' | 'meta';
  attributes: Map<string, string>;
  /** Text up to the next tag (anchors only). */
  text: string;
}

export function parseSimpleHtml(html: string, pageUrl: URL): SimpleProject {
  const files: DistributionFile[] = [];
  for (const element of elements(html)) {
    if (element.tag === 'meta') {
      checkRepositoryVersion(element);
      continue;
    }
    const file = toFile(element, pageUrl);
    if (file) files.push(file);
  }
  return { files };
}

/** PEP 629: a page of a major API version other than 1 is not read. */
function checkRepositoryVersion(meta: Element): void {
  if (meta.attributes.get('name')?.toLowerCase() !== 'pypi:repository-version') return;
  const version = meta.attributes.get('content') ?? '';
  if (!/^1(\.\d+)?$/.test(version.trim()))
    throw new SimpleFormatError(`unsupported simple API version ${JSON.stringify(version.slice(0, 40))}`);
}

function toFile(anchor: Element, pageUrl: URL): DistributionFile | null {
  const href = anchor.attributes.get('href');
  if (href === undefined) return null;
  let url: URL;
  try {
    url = new URL(href, pageUrl);
  } catch {
    return null;
  }
  const hashes: Record<string, string> = {};
  // `#sha256=<hex>` (PEP 503 allows any hashlib name).
  const fragment = /^#([a-z0-9_]{1,20})=([0-9a-f]{1,128})$/i.exec(url.hash);
  if (fragment) hashes[fragment[1]!.toLowerCase()] = fragment[2]!.toLowerCase();
  url.hash = '';
  const filename = anchor.text.trim() || lastSegment(url);
  if (filename === '') return null;
  const requiresPython = anchor.attributes.get('data-requires-python');
  const yanked = anchor.attributes.get('data-yanked');
  return {
    filename,
    url: url.href,
    hashes,
    yanked: yanked !== undefined,
    ...(yanked && { yankedReason: yanked }),
    ...(requiresPython?.trim() && { requiresPython }),
  };
}

function lastSegment(url: URL): string {
  const segment = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The `<a …>text` and `<meta …>` elements of the page, attribute names lower-cased, values unescaped. */
function* elements(html: string): Generator<Element> {
  const n = html.length;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) return;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      if (end < 0) return;
      i = end + 3;
      continue;
    }
    const c = html[lt + 1];
    if ((c === 'a' || c === 'A') && isTagEnd(html[lt + 2])) {
      const tag = readAttributes(html, lt + 2);
      if (tag === null) return;
      const close = html.indexOf('<', tag.end);
      const end = close < 0 ? n : close;
      yield { tag: 'a', attributes: tag.attributes, text: unescapeHtml(html.slice(tag.end, end)) };
      i = end;
      continue;
    }
    if (html.slice(lt + 1, lt + 5).toLowerCase() === 'meta' && isTagEnd(html[lt + 5])) {
      const tag = readAttributes(html, lt + 5);
      if (tag === null) return;
      yield { tag: 'meta', attributes: tag.attributes, text: '' };
      i = tag.end;
      continue;
    }
    i = lt + 1;
  }
}

function isTagEnd(c: string | undefined): boolean {
  return c === '>' || c === '/' || isSpace(c);
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
}

/** Attributes from `start` to the tag's `>`; null when the page ends first. */
function readAttributes(
  html: string,
  start: number,
): { attributes: Map<string, string>; end: number } | null {
  const n = html.length;
  const attributes = new Map<string, string>();
  let i = start;
  for (;;) {
    while (i < n && (isSpace(html[i]) || html[i] === '/')) i++;
    if (i >= n) return null;
    if (html[i] === '>') return { attributes, end: i + 1 };
    const nameStart = i;
    while (i < n && !isSpace(html[i]) && html[i] !== '=' && html[i] !== '>' && html[i] !== '/') i++;
    const name = html.slice(nameStart, i).toLowerCase();
    while (i < n && isSpace(html[i])) i++;
    let value = '';
    if (html[i] === '=') {
      i++;
      while (i < n && isSpace(html[i])) i++;
      if (i >= n) return null;
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1);
        if (close < 0) return null;
        value = html.slice(i + 1, close);
        i = close + 1;
      } else {
        const valueStart = i;
        while (i < n && !isSpace(html[i]) && html[i] !== '>') i++;
        value = html.slice(valueStart, i);
      }
    }
    // The first of repeated attributes wins, as in browsers.
    if (name !== '' && !attributes.has(name)) attributes.set(name, unescapeHtml(value));
  }
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The character references pages use (`&gt;=3.8`, `&#62;`, `&#x3E;`); unknown ones stay as written. */
export function unescapeHtml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,6});/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
      ? String.fromCodePoint(code)
      : whole;
  });
}
