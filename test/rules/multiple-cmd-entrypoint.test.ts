import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['two CMDs', 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\n', [3]],
  ['two ENTRYPOINTs', 'FROM alpine:3.20\nENTRYPOINT ["a"]\nRUN x\nENTRYPOINT ["b"]\n', [4]],
  ['second and later', 'FROM alpine:3.20\nCMD a\nCMD b\nCMD c\n', [3, 4]],
];

const good: [string, string][] = [
  ['one of each', 'FROM alpine:3.20\nENTRYPOINT ["/app"]\nCMD ["--serve"]\n'],
  ['one per stage', 'FROM alpine:3.20 AS a\nCMD ["a"]\nFROM alpine:3.20\nCMD ["b"]\n'],
  ['ONBUILD CMD does not count', 'FROM alpine:3.20\nCMD ["a"]\nONBUILD CMD ["b"]\n'],
];

describe('DH908 multiple-cmd-entrypoint', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH908')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH908')).toEqual([]));
  it('names the replaced instruction', () => {
    expect(lint('FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\n', 'DH908')[0]!.message).toContain('CMD on line 2');
  });
});
