import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['cd then &&', 'FROM node:22-slim\nRUN cd /app && npm ci\n', [2]],
  ['cd then ;', 'FROM alpine:3.20\nRUN cd /tmp; wget https://x/y\n', [2]],
  ['multi-line', 'FROM alpine:3.20\nRUN cd /src \\\n && make \\\n && make install\n', [2]],
  ['heredoc script', 'FROM alpine:3.20\nRUN <<EOF\ncd /src\nmake\nEOF\n', [2]],
];

const good: [string, string][] = [
  ['WORKDIR', 'FROM node:22-slim\nWORKDIR /app\nRUN npm ci\n'],
  ['cd later in the script', 'FROM alpine:3.20\nRUN make && cd docs && make html\n'],
  ['subshell', 'FROM alpine:3.20\nRUN (cd vendor && make)\n'],
  ['temporary directory', 'FROM alpine:3.20\nRUN cd "$(mktemp -d)" && wget https://x/y\n'],
  ['cd alone', 'FROM alpine:3.20\nRUN cd /tmp\n'],
  ['cd -', 'FROM alpine:3.20\nRUN cd - && ls\n'],
  ['PowerShell', 'FROM alpine:3.20\nSHELL ["pwsh", "-Command"]\nRUN cd C:\\x; ls\n'],
];

describe('DH904 cd-instead-of-workdir', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH904')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH904')).toEqual([]));
  it('names the directory', () => {
    expect(lint('FROM node:22-slim\nRUN cd /app && npm ci\n', 'DH904')[0]!.message).toContain('WORKDIR /app');
  });
});
