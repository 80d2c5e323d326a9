import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['plain relative', 'FROM alpine:3.20\nWORKDIR app\n', [2]],
  ['dot-slash', 'FROM alpine:3.20\nWORKDIR ./app\n', [2]],
  ['parent', 'FROM alpine:3.20\nWORKDIR /app\nWORKDIR ../x\n', [3]],
  ['quoted relative', 'FROM alpine:3.20\nWORKDIR "app"\n', [2]],
  ['tilde is not expanded', 'FROM alpine:3.20\nWORKDIR ~/app\n', [2]],
  ['ONBUILD WORKDIR', 'FROM alpine:3.20\nONBUILD WORKDIR app\n', [2]],
];

const good: [string, string][] = [
  ['absolute', 'FROM alpine:3.20\nWORKDIR /app\n'],
  ['quoted absolute', 'FROM alpine:3.20\nWORKDIR "/app"\n'],
  ['variable', 'FROM alpine:3.20\nWORKDIR $HOME/app\n'],
  ['braced variable', 'FROM alpine:3.20\nARG APP_DIR=/app\nWORKDIR ${APP_DIR}\n'],
  ['Windows drive path', '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\app\n'],
  ['Windows forward slashes', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR c:/app\n'],
];

describe('DH901 relative-workdir', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH901')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH901')).toEqual([]));
  it('suggests an absolute path', () => {
    expect(lint('FROM alpine:3.20\nWORKDIR app\n', 'DH901')[0]!.message).toContain('such as /app');
  });
});
