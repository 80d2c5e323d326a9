import { describe, expect, it } from 'vitest';
import { byteOffsetMapper, decodeText, toByteRange } from '../../src/core/offsets.js';

/** Every UTF-16 offset that starts a code point maps to the byte offset of the same text. */
function expectConsistent(bytes: Buffer): void {
  const decoded = decodeText(bytes);
  const toBytes = byteOffsetMapper(decoded);
  const encoding = decoded.encoding === 'utf8' ? 'utf8' : 'latin1';
  for (let i = 0; i <= decoded.text.length; i++) {
    const code = decoded.text.charCodeAt(i);
    if (code >= 0xdc00 && code <= 0xdfff) continue; // inside a surrogate pair
    expect(toBytes(i)).toBe(Buffer.byteLength(decoded.text.slice(0, i), encoding));
  }
}

describe('offsets', () => {
  it('maps identically for ASCII', () => {
    const decoded = decodeText(Buffer.from('FROM node:20\n'));
    expect(decoded.encoding).toBe('utf8');
    expect(byteOffsetMapper(decoded)(10)).toBe(10);
  });

  it('counts 2-, 3- and 4-byte characters', () => {
    expectConsistent(Buffer.from('# café ✓ 🐳\nFROM node:20 # ü\n'));
    const decoded = decodeText(Buffer.from('# 🐳\nFROM node:20\n'));
    const start = decoded.text.indexOf(':20');
    const range = toByteRange({ start, end: start + 3 }, byteOffsetMapper(decoded));
    expect(Buffer.from('# 🐳\nFROM node:20\n').subarray(range.start, range.end).toString()).toBe(':20');
  });

  it('keeps a BOM as part of the text, so offsets after it count its 3 bytes', () => {
    const bytes = Buffer.from('\uFEFFFROM alpine:3.20\n');
    const decoded = decodeText(bytes);
    expect(decoded.text.charCodeAt(0)).toBe(0xfeff);
    const start = decoded.text.indexOf(':3.20');
    expect(byteOffsetMapper(decoded)(start)).toBe(start + 2);
    expectConsistent(bytes);
  });

  it('decodes invalid UTF-8 as latin1 so that bytes round-trip one char per byte', () => {
    const bytes = Buffer.from([0x23, 0x20, 0xe9, 0xff, 0x0a, ...Buffer.from('FROM a:1\n')]);
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe('latin1');
    expect(Buffer.from(decoded.text, 'latin1').equals(bytes)).toBe(true);
    expect(byteOffsetMapper(decoded)(7)).toBe(7);
  });

  it('answers offsets asked out of order', () => {
    const toBytes = byteOffsetMapper(decodeText(Buffer.from('ééé abc')));
    expect(toBytes(5)).toBe(8);
    expect(toBytes(1)).toBe(2);
    expect(toBytes(7)).toBe(10);
  });
});
