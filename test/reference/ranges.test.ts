import { describe, expect, it } from 'vitest';
import { parseReference } from '../../src/reference/parse.js';
import type { ImageReference } from '../../src/reference/parse.js';
import { referenceRanges } from '../../src/reference/ranges.js';
import { referenceToDependency } from '../../src/reference/to-dependency.js';

const SHA = 'sha256:' + '0123456789abcdef'.repeat(4);

function ranges(text: string, offset: number) {
  const ref = parseReference(text) as ImageReference;
  return referenceRanges(ref, offset);
}

describe('referenceRanges', () => {
  // [reference, offset, tagRange, digestRange]
  const cases: [string, number, [number, number], [number, number]][] = [
    ['nginx', 0, [5, 5], [5, 5]],
    ['nginx', 10, [15, 15], [15, 15]],
    ['nginx:1.25', 3, [9, 13], [13, 13]],
    [`nginx@${SHA}`, 0, [5, 5], [6, 6 + SHA.length]],
    [`nginx:1@${SHA}`, 100, [106, 107], [108, 108 + SHA.length]],
    ['localhost:5000/app', 0, [18, 18], [18, 18]],
    ['localhost:5000/app:v1', 0, [19, 21], [21, 21]],
    ['[::1]:5000/app:v2', 1, [16, 18], [18, 18]],
  ];
  it.each(cases)('%s at %d', (text, offset, tag, digest) => {
    const r = ranges(text, offset);
    expect(r.tagRange).toEqual({ start: tag[0], end: tag[1] });
    expect(r.digestRange).toEqual({ start: digest[0], end: digest[1] });
  });

  it('ranges cut the exact tag and digest text (no `:` / `@`) out of a file', () => {
    const file = `image: "ghcr.io/a/b:1.2@${SHA}" # pinned`;
    const offset = file.indexOf('ghcr');
    const r = ranges(`ghcr.io/a/b:1.2@${SHA}`, offset);
    expect(file.slice(r.tagRange.start, r.tagRange.end)).toBe('1.2');
    expect(file.slice(r.digestRange.start, r.digestRange.end)).toBe(SHA);
    expect(file[r.tagRange.start - 1]).toBe(':');
    expect(file[r.digestRange.start - 1]).toBe('@');
  });

  it('empty ranges are insertion points for `:tag` and `@digest`', () => {
    const file = 'image: redis # no tag';
    const r = ranges('redis', file.indexOf('redis'));
    const edited = file.slice(0, r.tagRange.start) + ':7' + file.slice(r.tagRange.end);
    expect(edited).toBe('image: redis:7 # no tag');
    const tagged = 'FROM redis:7 AS x';
    const t = ranges('redis:7', tagged.indexOf('redis'));
    expect(t.digestRange).toEqual({ start: tagged.indexOf(' AS'), end: tagged.indexOf(' AS') });
  });
});

describe('referenceToDependency', () => {
  it('valid literal reference gets the normalised name and ranges', () => {
    expect(referenceToDependency('redis:7', 20, 3, 'compose-image')).toEqual({
      depName: 'docker.io/library/redis',
      registry: 'docker.io',
      repository: 'library/redis',
      tag: '7',
      digest: null,
      value: 'redis:7',
      line: 3,
      source: 'compose-image',
      tagRange: { start: 26, end: 27 },
      digestRange: { start: 27, end: 27 },
    });
  });

  it('no ranges when the text is not a literal of the file', () => {
    const dep = referenceToDependency('redis:7', null, 1, 'from');
    expect(dep.depName).toBe('docker.io/library/redis');
    expect(dep).not.toHaveProperty('tagRange');
    expect(dep).not.toHaveProperty('digestRange');
  });

  const skipped: [string, string][] = [
    ['', 'empty'],
    ['   ', 'empty'],
    ['$IMAGE', 'unresolved-variable'],
    ['nginx:${TAG}', 'unresolved-variable'],
    ['${REGISTRY:-docker.io}/nginx', 'unresolved-variable'],
    ['nginx:${{ matrix.v }}', 'unresolved-variable'],
    ['{{ .Values.image }}', 'unresolved-variable'],
    ['repo:{{ .Chart.AppVersion }}', 'unresolved-variable'],
    ['Nginx:1', 'invalid-reference'],
    ['nginx:', 'invalid-reference'],
    ['http://example.com/x', 'invalid-reference'],
  ];
  it.each(skipped)('%j is skipped as %s, depName = raw text, no ranges', (text, reason) => {
    const dep = referenceToDependency(text, 0, 7, 'kubernetes-image');
    expect(dep).toEqual({
      depName: text,
      registry: null,
      repository: null,
      tag: null,
      digest: null,
      value: text,
      line: 7,
      source: 'kubernetes-image',
      skipReason: reason,
    });
  });
});
