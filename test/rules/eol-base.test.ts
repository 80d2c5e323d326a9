import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { extractFromDockerfile, manager } from '../../src/managers/dockerfile/index.js';
import { lintDockerfile } from '../../src/rules/engine.js';
import { eolBaseRule } from '../../src/rules/eol-base.js';
import { rules } from '../../src/rules/index.js';
import { corpus, FIXTURES, listFiles } from '../support/corpus.js';

const NOW = new Date('2026-11-22T12:00:00Z');

/** DH302 findings at a fixed moment, through the real parser, extractor (ARGs resolved) and engine. */
function lintAt(text: string, now = NOW): Finding[] {
  const dockerfile = parseDockerfile(text);
  return lintDockerfile(
    dockerfile,
    {
      path: 'Dockerfile',
      deps: extractFromDockerfile(dockerfile),
      trustedRegistries: [],
      ignore: [],
      severity: {},
      allowInlineIgnores: true,
    },
    [eolBaseRule(() => now)],
  );
}

const messages = (text: string, now = NOW) => lintAt(text, now).map((f) => `${f.line}: ${f.message}`);

describe('DH302 eol-base', () => {
  it('is in the catalog, on by default, as a warning', () => {
    expect(rules.find((r) => r.id === 'DH302')).toMatchObject({
      slug: 'eol-base',
      severity: 'warning',
      enabledByDefault: true,
    });
  });

  it('names the ended line, its end date and the line to move to', () => {
    expect(messages('FROM node:16\n')).toEqual([
      '1: `FROM node:16`: node 16 reached end of life on 2023-09-11; move to node 26 (LTS), supported until about 2029-04-30.',
    ]);
    expect(messages('FROM python:3.12-slim-buster\n')).toEqual([
      '1: `FROM python:3.12-slim-buster`: debian 10 (buster) reached end of life on 2024-06-30; move to debian 13 (trixie), supported until about 2030-06-30.',
    ]);
    expect(messages('FROM redis:7.0\n')).toEqual([
      '1: `FROM redis:7.0`: redis 7.0 reached end of life around 2024-07-29; move to redis 8.2.',
    ]);
  });

  it('reports each ended product of one image', () => {
    expect(
      lintAt('FROM node:20-alpine3.16\n').map((f) => [f.line, f.rule, f.severity, f.message.split(';')[0]]),
    ).toEqual([
      [1, 'DH302', 'warning', '`FROM node:20-alpine3.16`: node 20 reached end of life on 2026-04-30'],
      [1, 'DH302', 'warning', '`FROM node:20-alpine3.16`: alpine 3.16 reached end of life on 2024-05-23'],
    ]);
  });

  it('stays quiet on supported bases', () => {
    const good = [
      '# syntax=docker/dockerfile:1',
      'FROM node:24-bookworm-slim AS build',
      'RUN npm ci',
      'FROM python:3.13-alpine3.22',
      'COPY --from=build /app /app',
      'FROM golang:1.27 AS tools',
      'FROM scratch',
      'COPY --from=tools /go/bin /bin',
    ].join('\n');
    expect(lintAt(good)).toEqual([]);
  });

  it('judges FROM, COPY --from and RUN --mount from images on their own lines', () => {
    const text = [
      'FROM ubuntu:18.04 AS base',
      'COPY --from=python:3.8 /usr/local/bin/python3 /usr/local/bin/',
      'RUN --mount=type=bind,from=golang:1.21,source=/usr/local/go,target=/go true',
      'FROM base',
    ].join('\n');
    expect(lintAt(text).map((f) => f.message.split(' reached')[0])).toEqual([
      '`FROM ubuntu:18.04`: ubuntu 18.04 (bionic)',
      '`COPY --from=python:3.8`: python 3.8',
      '`RUN --mount=from=golang:1.21`: go 1.21',
    ]);
    expect(lintAt(text).map((f) => f.line)).toEqual([1, 2, 3]);
  });

  it('judges the image an ARG default resolves to, on the FROM line', () => {
    const text = 'ARG NODE_VERSION=16\nARG VARIANT=alpine3.16\nFROM node:${NODE_VERSION}-${VARIANT}\n';
    expect(messages(text).map((m) => m.split(' reached')[0])).toEqual([
      '3: `FROM node:16-alpine3.16`: node 16',
      '3: `FROM node:16-alpine3.16`: alpine 3.16',
    ]);
  });

  it('does not judge a reference an ARG without a default leaves open', () => {
    expect(lintAt('ARG BASE\nFROM $BASE\n')).toEqual([]);
    expect(lintAt('ARG TAG\nFROM node:${TAG}\n')).toEqual([]);
  });

  it('does not judge versionless tags, unknown images or the syntax directive', () => {
    expect(lintAt('FROM node:lts\nFROM node\nFROM ghcr.io/acme/node:16\nFROM busybox:1.36\n')).toEqual([]);
    expect(lintAt('# syntax=docker.io/library/node:16\nFROM scratch\n')).toEqual([]);
  });

  it('judges at the moment its clock gives, read on every check', () => {
    let now = new Date('2023-01-01T00:00:00Z');
    const rule = eolBaseRule(() => now);
    const dockerfile = parseDockerfile('FROM node:16\n');
    const context = { path: 'Dockerfile', deps: extractFromDockerfile(dockerfile), trustedRegistries: [] };
    expect(rule.check(dockerfile, context)).toEqual([]);
    now = new Date('2023-09-11T00:00:00Z');
    expect(rule.check(dockerfile, context).map((f) => f.line)).toEqual([1]);
  });

  it('honours inline ignores', () => {
    const text = '# dockhand ignore=DH302 -- pinned until the migration\nFROM node:16\nFROM python:3.8\n';
    expect(lintAt(text).map((f) => f.line)).toEqual([3]);
    expect(lintAt('# dockhand global ignore=eol-base\nFROM node:16\n')).toEqual([]);
  });
});

/** DH302 findings over every Dockerfile under `root`. */
function lintTree(root: string): { files: string[]; findings: Finding[] } {
  const files = listFiles(root).filter((path) => manager.filePatterns.some((pattern) => pattern.test(path)));
  return { files, findings: files.flatMap((path) => lintAt(readFileSync(root + path, 'utf8'))) };
}

/** No rule crash, and every finding names an ended line, its end date and a successor. */
function expectWellFormed(findings: Finding[]): void {
  expect(findings.filter((f) => f.message.includes('internal error'))).toEqual([]);
  for (const f of findings) {
    expect(f.message).toMatch(
      /^`[^`]+`: [a-z]+ \S+( \([a-z]+\))? reached end of life (on|around) \d{4}-\d\d-\d\d; move to /,
    );
  }
}

describe('DH302 over the fixture tree', () => {
  it('never crashes, and every finding names an ended line, its date and a successor', () => {
    const { files, findings } = lintTree(FIXTURES);
    expect(files.length).toBeGreaterThan(20);
    expectWellFormed(findings);
    // The fixtures build on ended releases too (go 1.24, alpine 3.21, node 20, python 3.8, buster…).
    expect(findings.length).toBeGreaterThan(10);
  });

  it('rules/legacy-python: both ended lines of an image an ARG default resolves to', () => {
    const text = readFileSync(`${FIXTURES}rules/legacy-python/Dockerfile`, 'utf8');
    expect(messages(text).map((m) => m.split(' reached')[0])).toEqual([
      '2: `FROM python:3.8-slim-buster`: python 3.8',
      '2: `FROM python:3.8-slim-buster`: debian 10 (buster)',
    ]);
  });
});

describe.skipIf(!corpus)('DH302 over the shared corpus of real Dockerfiles', () => {
  it('never crashes, and every finding names an ended line, its date and a successor', () => {
    const { files, findings } = lintTree(corpus!);
    expect(files.length).toBeGreaterThan(100);
    expectWellFormed(findings);
    // Real projects do build on ended releases: the corpus has some (node 14–18, buster, python 3.8…).
    expect(findings.length).toBeGreaterThan(10);
  });
});
