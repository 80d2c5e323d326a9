import { describe, expect, test } from 'vitest';
import type { Dependency } from '../../../src/core/types.js';
import { manager } from '../../../src/managers/dockerfile/index.js';

const deps = (text: string) => manager.extract(text, 'Dockerfile').deps;
const brief = (d: Dependency) => [d.depName, d.tag, d.digest, d.line, d.source, d.skipReason ?? null];
const at = (text: string, range: { start: number; end: number } | undefined) =>
  range ? text.slice(range.start, range.end) : undefined;
const DIGEST = 'sha256:' + 'a'.repeat(64);

describe('file patterns', () => {
  test.each([
    'Dockerfile',
    'Containerfile',
    'api/Dockerfile',
    'web.Dockerfile',
    'build/app.containerfile',
    'Dockerfile.dev',
    'Dockerfile-alpine',
    'dockerfile',
    'docker/DOCKERFILE',
  ])('claims %s', (path) => {
    expect(manager.filePatterns.some((p) => p.test(path))).toBe(true);
  });

  test.each([
    'Dockerfiles/README.md',
    'docs/dockerfile-guide/x.txt',
    'src/dockerfile.ts',
    'compose.yml',
    'Dockerfile.dockerignore',
    'tools/Dockerfile.rego',
  ])('leaves %s', (path) => {
    expect(manager.filePatterns.some((p) => p.test(path))).toBe(false);
  });
});

describe('image references', () => {
  test('FROM, normalised, with stage names and platform', () => {
    const result = deps(`FROM --platform=linux/amd64 node:20.11-alpine AS build\nFROM nginx\n`);
    expect(result.map(brief)).toEqual([
      ['docker.io/library/node', '20.11-alpine', null, 1, 'from', null],
      ['docker.io/library/nginx', null, null, 2, 'from', null],
    ]);
    expect(result[0]).toMatchObject({ stage: 'build', platform: 'linux/amd64' });
    expect(result[1]!.stage).toBe('1');
  });

  test('scratch and stage references are not dependencies; stage names are case-insensitive', () => {
    const text =
      'FROM golang:1.22 AS Builder\nFROM builder AS test\nFROM SCRATCH\nCOPY --from=BUILDER /a /a\nCOPY --from=0 /b /b\n';
    expect(deps(text).map((d) => d.depName)).toEqual(['docker.io/library/golang']);
  });

  test('COPY --from=<image>, RUN --mount from=<image>, ONBUILD and # syntax=', () => {
    const text = [
      '# syntax=docker/dockerfile:1.7',
      'FROM alpine:3.20',
      'COPY --from=ghcr.io/astral-sh/uv:0.4.0 /uv /bin/uv',
      'RUN --mount=type=bind,from=quay.io/org/tools:1.0,source=/x,target=/x true',
      'ONBUILD COPY --from=busybox:1.36 /bin/sh /sh',
      '',
    ].join('\n');
    expect(deps(text).map(brief)).toEqual([
      ['docker.io/docker/dockerfile', '1.7', null, 1, 'syntax', null],
      ['docker.io/library/alpine', '3.20', null, 2, 'from', null],
      ['ghcr.io/astral-sh/uv', '0.4.0', null, 3, 'copy-from', null],
      ['quay.io/org/tools', '1.0', null, 4, 'mount-from', null],
      ['docker.io/library/busybox', '1.36', null, 5, 'onbuild-from', null],
    ]);
  });

  test('registries with ports, localhost and digests', () => {
    const text = `FROM localhost:5000/team/app:1.2@${DIGEST}\nFROM localhost/foo\nFROM [::1]:5000/x\n`;
    expect(deps(text).map(brief)).toEqual([
      ['localhost:5000/team/app', '1.2', DIGEST, 1, 'from', null],
      ['localhost/foo', null, null, 2, 'from', null],
      ['[::1]:5000/x', null, null, 3, 'from', null],
    ]);
  });

  test('invalid references are kept with a skip reason', () => {
    expect(deps('FROM Node:20\nFROM node:\n').map((d) => d.skipReason)).toEqual([
      'invalid-reference',
      'invalid-reference',
    ]);
  });
});

describe('ARG substitution follows Docker scoping', () => {
  test('$VAR, ${VAR}, defaults and alternatives from global ARGs', () => {
    const text = [
      'ARG NODE=20.11',
      "ARG BASE='python:3.12-slim'",
      'ARG EMPTY=',
      'ARG UNSET',
      'FROM node:${NODE}-alpine',
      'FROM $BASE',
      'FROM ${UNSET:-debian:bookworm}',
      'FROM redis${EMPTY:+:7}',
      'FROM ${UNSET}',
      'FROM node:${NOT_DECLARED}',
      '',
    ].join('\n');
    expect(deps(text).map((d) => [d.value, d.tag, d.skipReason ?? null])).toEqual([
      ['node:20.11-alpine', '20.11-alpine', null],
      ['python:3.12-slim', '3.12-slim', null],
      ['debian:bookworm', 'bookworm', null],
      ['redis', null, null],
      ['${UNSET}', null, 'unresolved-variable'],
      ['node:${NOT_DECLARED}', null, 'unresolved-variable'],
    ]);
  });

  test('an ARG declared inside a stage does not change a later FROM', () => {
    const text = 'ARG V=18\nFROM node:${V}\nARG V=20\nFROM node:${V}\n';
    expect(deps(text).map((d) => d.tag)).toEqual(['18', '18']);
  });

  test('ARG defaults can use earlier ARGs', () => {
    const text = 'ARG REG=ghcr.io/acme\nARG IMAGE=${REG}/api\nFROM ${IMAGE}:2.0\n';
    expect(deps(text).map((d) => d.depName)).toEqual(['ghcr.io/acme/api']);
  });

  test('inside a stage, ARG without default re-imports the global for COPY --from', () => {
    const text = 'ARG TOOLS=busybox:1.36\nFROM alpine\nARG TOOLS\nCOPY --from=${TOOLS} /bin/sh /sh\n';
    expect(deps(text).map((d) => d.value)).toEqual(['alpine', 'busybox:1.36']);
  });

  test('platform ARGs stay unresolved in --platform without affecting the image', () => {
    const [dep] = deps('FROM --platform=$BUILDPLATFORM golang:1.22\n');
    expect(dep).toMatchObject({ tag: '1.22', platform: '$BUILDPLATFORM' });
    expect(dep!.skipReason).toBeUndefined();
  });
});

describe('edit ranges', () => {
  test('literal references: tag and digest text; insertion points when absent', () => {
    const text = `FROM node:20@${DIGEST} AS a\nFROM nginx\nFROM redis:7\n`;
    const [a, b, c] = deps(text);
    expect([at(text, a!.tagRange), at(text, a!.digestRange)]).toEqual(['20', DIGEST]);
    expect(b!.tagRange).toEqual({ start: text.indexOf('nginx') + 5, end: text.indexOf('nginx') + 5 });
    expect(b!.digestRange).toEqual(b!.tagRange);
    expect(c!.digestRange!.start).toBe(text.indexOf('redis:7') + 'redis:7'.length);
  });

  test('a tag that comes from an ARG is edited in the ARG line', () => {
    const text = 'ARG NODE_VERSION=20.11.1\nFROM node:${NODE_VERSION}\n';
    const [dep] = deps(text);
    expect(dep!.arg).toBe('NODE_VERSION');
    expect(at(text, dep!.tagRange)).toBe('20.11.1');
    expect(dep!.tagRange!.start).toBe(text.indexOf('20.11.1'));
    // The digest goes after the variable in the FROM line, not into the shared ARG.
    expect(dep!.digestRange!.start).toBe(text.indexOf('}') + 1);
  });

  test('a whole reference from an ARG is edited there', () => {
    const text = `ARG BASE="python:3.12@${DIGEST}"\nFROM $BASE\n`;
    const [dep] = deps(text);
    expect(dep!.arg).toBe('BASE');
    expect([at(text, dep!.tagRange), at(text, dep!.digestRange)]).toEqual(['3.12', DIGEST]);
  });

  test('a tag assembled from several places has no tag range', () => {
    const [dep] = deps('ARG V=3.20\nFROM alpine:${V}-x\n');
    expect(dep!.tag).toBe('3.20-x');
    expect(dep!.tagRange).toBeUndefined();
  });

  test('a reference continued over lines and the Windows escape keep exact offsets', () => {
    const text = '# escape=`\nFROM `\n  mcr.microsoft.com/windows/nanoserver:ltsc2022 AS base\n';
    const [dep] = deps(text);
    expect(at(text, dep!.tagRange)).toBe('ltsc2022');
  });
});

test('a FROM whose variables make it one of the earlier stages is a stage reference', () => {
  const text =
    'FROM scratch AS binaries-linux\nFROM scratch AS binaries-darwin\nFROM binaries-$TARGETOS AS binaries\nFROM ${REGISTRY}/app\nFROM $ANY\n';
  expect(deps(text).map((d) => [d.value, d.skipReason])).toEqual([
    ['${REGISTRY}/app', 'unresolved-variable'],
    ['$ANY', 'unresolved-variable'],
  ]);
});
