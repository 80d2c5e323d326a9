import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH702';
const DIGEST = '@sha256:' + 'a'.repeat(64);

describe('DH702 base-not-digest-pinned', () => {
  it.each([
    ['FROM node:22\n', [1]],
    ['FROM python:3.12-slim AS base\nFROM base\n', [1]],
    ['FROM node:22' + DIGEST + '\nCOPY --from=alpine:3.20 /a /a\n', [2]],
    ['FROM node:22' + DIGEST + '\nRUN --mount=type=bind,from=golang:1.23,target=/go true\n', [2]],
    ['ARG V=22\nFROM node:${V}-slim\n', [2]],
    ['# syntax=example.com/frontend:1\nFROM node:22' + DIGEST + '\n', [1]],
    ['# syntax=example.com/frontend\nFROM node:22' + DIGEST + '\n', [1]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM node:22' + DIGEST + '\n',
    'FROM node' + DIGEST + '\n',
    'FROM scratch\n',
    'FROM node:22' + DIGEST + ' AS build\nFROM build\nCOPY --from=build /a /a\n',
    'ARG BASE\nFROM $BASE\n',
    // untagged/latest: reported by DH701
    'FROM node\n',
    'FROM node:latest\n',
    // Docker's own frontend floats by design
    '# syntax=docker/dockerfile:1\nFROM node:22' + DIGEST + '\n',
    '# syntax=docker/dockerfile-upstream:master\nFROM node:22' + DIGEST + '\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });

  it('names the image', () => {
    expect(lint('FROM node:22\n', ID)[0]!.message).toContain('`FROM node:22`');
  });
});
