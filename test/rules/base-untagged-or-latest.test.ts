import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH701';

describe('DH701 base-untagged-or-latest', () => {
  it.each([
    ['FROM node\n', [1]],
    ['FROM node:latest\n', [1]],
    ['FROM ghcr.io/acme/app:latest AS app\n', [1]],
    ['FROM node:22\nCOPY --from=alpine /etc/ssl /etc/ssl\n', [2]],
    ['FROM node:22\nRUN --mount=from=busybox:latest,target=/bb true\n', [2]],
    ['ARG BASE=ubuntu\nFROM $BASE\n', [2]],
    ['FROM localhost:5000/app\n', [1]],
    ['FROM node:22\nONBUILD COPY --from=alpine /a /a\n', [2]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM node:22\n',
    'FROM node@sha256:' + 'a'.repeat(64) + '\n',
    'FROM node:latest@sha256:' + 'a'.repeat(64) + '\n',
    'FROM scratch\n',
    'FROM node:22 AS build\nFROM build\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\n',
    'ARG BASE\nFROM $BASE\n',
    'ARG TAG\nFROM node:$TAG\n',
    '# syntax=docker/dockerfile\nFROM node:22\n',
    '# syntax=docker/dockerfile:1\nFROM node:22\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });

  it('names the image', () => {
    expect(lint('FROM node:22\nCOPY --from=alpine /a /a\n', ID)[0]!.message).toContain(
      '`COPY --from=alpine`',
    );
    expect(lint('FROM node:latest\n', ID)[0]!.message).toContain('latest tag');
  });
});
