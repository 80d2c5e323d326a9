import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['same name', 'FROM golang:1.23 AS build\nFROM node:22 AS build\n', [2]],
  ['case-insensitive', 'FROM golang:1.23 AS build\nFROM node:22 AS Build\n', [2]],
  ['third use too', 'FROM a:1 AS x\nFROM b:1 AS y\nFROM c:1 AS X\nFROM d:1 as x\n', [3, 4]],
];

const good: [string, string][] = [
  ['unique names', 'FROM golang:1.23 AS build-api\nFROM node:22 AS build-web\n'],
  ['unnamed stages', 'FROM golang:1.23\nFROM node:22\n'],
  ['single stage', 'FROM alpine:3.20 AS app\n'],
];

describe('DH907 duplicate-stage-name', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH907')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH907')).toEqual([]));
  it('points at the first use', () => {
    expect(lint('FROM golang:1.23 AS build\nFROM node:22 AS Build\n', 'DH907')[0]!.message).toContain(
      'line 1',
    );
  });
});
