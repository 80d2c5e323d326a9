import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['constant platform', 'FROM --platform=linux/amd64 node:22-slim\n', [1]],
  ['constant in a later stage', 'FROM golang:1.23 AS build\nFROM --platform=linux/arm64 alpine:3.20\n', [2]],
  ['$TARGETPLATFORM is redundant', 'FROM --platform=$TARGETPLATFORM alpine:3.20\n', [1]],
  ['${TARGETPLATFORM} is redundant', 'FROM --platform=${TARGETPLATFORM} alpine:3.20 AS x\n', [1]],
];

const good: [string, string][] = [
  ['no flag', 'FROM alpine:3.20\n'],
  [
    '$BUILDPLATFORM cross-compilation',
    'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nFROM alpine:3.20\n',
  ],
  ['${BUILDPLATFORM}', 'FROM --platform=${BUILDPLATFORM} golang:1.23 AS build\n'],
  ['a build argument', 'ARG PLATFORM=linux/amd64\nFROM --platform=$PLATFORM alpine:3.20\n'],
  ['platform on COPY is not FROM', 'FROM alpine:3.20\nCOPY --platform=linux/amd64 --from=x / /\n'],
];

describe('DH803 platform-flag', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH803')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH803')).toEqual([]));
  it('names the platform and the kind of problem', () => {
    expect(lint('FROM --platform=linux/amd64 node:22\n', 'DH803')[0]!.message).toContain('linux/amd64');
    expect(lint('FROM --platform=$TARGETPLATFORM node:22\n', 'DH803')[0]!.message).toContain('redundant');
  });
});
