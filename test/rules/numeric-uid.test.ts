import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH202';

describe('DH202 numeric-uid', () => {
  it.each([
    ['FROM node:22\nUSER node\n', [2]],
    ['FROM node:22\nUSER app:1000\n', [2]],
    ['FROM node:22 AS base\nUSER node\nFROM base\nCMD ["node"]\n', [2]],
    ['FROM gcr.io/distroless/static:nonroot\nUSER nonroot:nonroot\n', [2]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM node:22\nUSER 1000\n',
    'FROM node:22\nUSER 10001:10001\n',
    'FROM node:22\nUSER root\n', // DH201's business
    'FROM node:22\nUSER ${APP_UID}\n',
    'FROM node:22\n', // no USER at all
    'FROM gcr.io/distroless/static:nonroot\n', // inherited from the base: nothing to point at
    'FROM node:22\nUSER node\nFROM alpine:3.20\nUSER 1000\n',
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\n',
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER appuser\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });

  it('names the user', () => {
    expect(lint('FROM node:22\nUSER node\n', ID)[0]!.message).toContain('`node`');
  });
});
