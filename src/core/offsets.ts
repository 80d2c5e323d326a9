// Managers work on JS strings (UTF-16 offsets); edits are applied to the file's bytes. This module
// decodes files so that every byte is accounted for and maps string offsets to byte offsets.
import type { Range } from './types.js';

export interface DecodedText {
  text: string;
  /** latin1 when the bytes are not valid UTF-8: one char per byte keeps offsets and round-trips exact. */
  encoding: 'utf8' | 'latin1';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeText(bytes: Uint8Array): DecodedText {
  try {
    return { text: strictUtf8.decode(bytes), encoding: 'utf8' };
  } catch {
    return {
      text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'),
      encoding: 'latin1',
    };
  }
}

/** Returns a function mapping a UTF-16 offset into `decoded.text` to a byte offset into the file. */
export function byteOffsetMapper(decoded: DecodedText): (offset: number) => number {
  const { text } = decoded;
  // One byte per char: latin1 by construction, ASCII-only UTF-8 by definition (the common case).
  if (decoded.encoding === 'latin1' || Buffer.byteLength(text, 'utf8') === text.length)
    return (offset) => offset;
  // Walk forward from the previous answer: deps come in file order, so this stays linear per file.
  let pos = 0;
  let bytes = 0;
  return (offset) => {
    if (offset < pos) {
      pos = 0;
      bytes = 0;
    }
    while (pos < offset) {
      const code = text.charCodeAt(pos);
      if (code < 0x80) {
        bytes += 1;
        pos += 1;
      } else if (code < 0x800) {
        bytes += 2;
        pos += 1;
      } else if (code >= 0xd800 && code <= 0xdbff && pos + 1 < text.length) {
        bytes += 4; // a surrogate pair is one 4-byte code point
        pos += 2;
      } else {
        bytes += 3;
        pos += 1;
      }
    }
    return bytes;
  };
}

export function toByteRange(range: Range, toBytes: (offset: number) => number): Range {
  return { start: toBytes(range.start), end: toBytes(range.end) };
}
