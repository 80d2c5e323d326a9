import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH801';

describe('DH801 oci-labels', () => {
  it.each([
    ['FROM node:22\nCMD ["node"]\n', [1]],
    ['FROM node:22\nLABEL org.opencontainers.image.title=shop\n', [1]],
    ['FROM node:22 AS build\nLABEL org.opencontainers.image.source=https://x\nFROM nginx:1.27\n', [3]],
    ['FROM node:22\nLABEL maintainer="a" description="org.opencontainers.image.source"\n', [1]],
    ['FROM node:22\nONBUILD LABEL org.opencontainers.image.source=https://x\n', [1]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM node:22\nLABEL org.opencontainers.image.source=https://github.com/acme/shop\n',
    'FROM node:22\nLABEL org.opencontainers.image.title="Shop" \\\n      org.opencontainers.image.source="https://github.com/acme/shop"\n',
    'FROM node:22\nLABEL "org.opencontainers.image.source"="https://github.com/acme/shop"\n',
    'FROM node:22\nLABEL org.opencontainers.image.source https://github.com/acme/shop\n',
    'FROM node:22\nARG REPO_URL\nLABEL org.opencontainers.image.source=$REPO_URL\n',
    'FROM node:22 AS base\nLABEL org.opencontainers.image.source=https://x\nFROM base\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });
});
