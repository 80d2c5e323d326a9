import { describe, expect, test } from 'vitest';
import { applyEdits } from '../../src/edit/replace.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('applyEdits', () => {
  test('replaces ranges and keeps every other byte (CRLF, BOM, tabs, non-ASCII)', () => {
    const original = bytes('\uFEFF# café\r\nFROM\tnode:20\r\n');
    const start = original.indexOf('20');
    const out = applyEdits(original, [{ range: { start, end: start + 2 }, text: '22' }]);
    expect(out.toString('utf8')).toBe('\uFEFF# café\r\nFROM\tnode:22\r\n');
  });

  test('insertions at empty ranges and several edits in any order', () => {
    const original = bytes('FROM node:20\n');
    const end = original.indexOf('\n');
    const out = applyEdits(original, [
      { range: { start: end, end }, text: '@sha256:abc' },
      { range: { start: 10, end: 12 }, text: '22' },
    ]);
    expect(out.toString()).toBe('FROM node:22@sha256:abc\n');
  });

  test('bytes that are not valid UTF-8 survive', () => {
    const original = Buffer.concat([bytes('FROM a:1 # '), Buffer.from([0xff, 0xfe]), bytes('\n')]);
    const out = applyEdits(original, [{ range: { start: 7, end: 8 }, text: '2' }]);
    expect([...out.subarray(11, 13)]).toEqual([0xff, 0xfe]);
  });

  test('overlapping or out-of-bounds edits are refused', () => {
    const original = bytes('FROM node:20\n');
    expect(() =>
      applyEdits(original, [
        { range: { start: 5, end: 9 }, text: 'x' },
        { range: { start: 8, end: 10 }, text: 'y' },
      ]),
    ).toThrow(RangeError);
    expect(() => applyEdits(original, [{ range: { start: 12, end: 99 }, text: 'x' }])).toThrow(RangeError);
  });
});
