import { describe, expect, test } from 'vitest';
import type { Dependency } from '../../src/core/types.js';
import { dependencyEdits, type ValueChange } from '../../src/edit/dependency-edits.js';
import { applyEdits, StaleEditError, type Edit } from '../../src/edit/replace.js';
import { manager as dockerfile } from '../../src/managers/dockerfile/index.js';
import { manager as helm } from '../../src/managers/helm-values/index.js';

const DIGEST = `sha256:${'1'.repeat(64)}`;
const NEW_DIGEST = `sha256:${'2'.repeat(64)}`;

/** ASCII fixtures: UTF-16 offsets from the managers equal byte offsets. */
function edit(text: string, deps: Dependency[], changes: ValueChange[]): string {
  const edits: Edit[] = [];
  deps.forEach((dep, i) => {
    const result = dependencyEdits(dep, changes[i] ?? {});
    if ('error' in result) throw new Error(result.error);
    edits.push(...result.edits);
  });
  return applyEdits(Buffer.from(text), edits).toString();
}
const dockerfileDeps = (text: string) => dockerfile.extract(text, 'Dockerfile').deps;

describe('dependency edits on Dockerfiles', () => {
  test.each([
    ['tag bump', 'FROM node:20.11.1-alpine\n', { tag: '20.12.0-alpine' }, 'FROM node:20.12.0-alpine\n'],
    ['pin: add the digest, keep the tag', 'FROM node:20\n', { digest: DIGEST }, `FROM node:20@${DIGEST}\n`],
    ['digest refresh', `FROM node:20@${DIGEST}\n`, { digest: NEW_DIGEST }, `FROM node:20@${NEW_DIGEST}\n`],
    [
      'tag and digest',
      `FROM node:20@${DIGEST} AS a\n`,
      { tag: '22', digest: NEW_DIGEST },
      `FROM node:22@${NEW_DIGEST} AS a\n`,
    ],
    ['untagged gets a tag', 'FROM nginx\n', { tag: '1.27', digest: DIGEST }, `FROM nginx:1.27@${DIGEST}\n`],
    [
      'CRLF and comments untouched',
      '# base\r\nFROM  redis:7 \r\n',
      { tag: '7.4' },
      '# base\r\nFROM  redis:7.4 \r\n',
    ],
  ])('%s', (_name, text, change, expected) => {
    expect(edit(text, dockerfileDeps(text), [change])).toBe(expected);
  });

  test('a tag from an ARG is changed in the ARG line; two FROMs sharing it edit it once', () => {
    const text = 'ARG NODE=20.11\nFROM node:${NODE} AS build\nFROM node:${NODE}-slim\n';
    const deps = dockerfileDeps(text);
    expect(deps[0]!.arg).toBe('NODE');
    const result = edit(text, deps.slice(0, 1), [{ tag: '20.12' }]);
    expect(result).toBe('ARG NODE=20.12\nFROM node:${NODE} AS build\nFROM node:${NODE}-slim\n');
  });

  test('pinning a tag that comes from an ARG writes the digest after the variable, not into the ARG', () => {
    const text = 'ARG V=3.20\nFROM alpine:${V}\n';
    expect(edit(text, dockerfileDeps(text), [{ digest: DIGEST }])).toBe(
      `ARG V=3.20\nFROM alpine:\${V}@${DIGEST}\n`,
    );
  });

  test('updates to one file compose', () => {
    const text = 'FROM golang:1.22 AS build\nFROM alpine:3.19\nCOPY --from=busybox:1.36 /bin/sh /sh\n';
    const result = edit(text, dockerfileDeps(text), [{ tag: '1.23' }, { digest: DIGEST }, { tag: '1.37' }]);
    expect(result).toBe(
      `FROM golang:1.23 AS build\nFROM alpine:3.19@${DIGEST}\nCOPY --from=busybox:1.37 /bin/sh /sh\n`,
    );
  });

  test('no change, no edit; a tag built from several places cannot be written', () => {
    const text = 'ARG V=3.20\nFROM alpine:${V}-x\n';
    const [dep] = dockerfileDeps(text);
    expect(dependencyEdits(dep!, { tag: dep!.tag! })).toEqual({ edits: [] });
    expect(dependencyEdits(dep!, { tag: '3.21-x' })).toEqual({
      error: 'no place to write the tag of alpine:3.20-x (line 2)',
    });
  });

  test('edits planned against other bytes are refused', () => {
    const text = 'FROM node:20\n';
    const result = dependencyEdits(dockerfileDeps(text)[0]!, { tag: '22' });
    if ('error' in result) throw new Error(result.error);
    expect(() => applyEdits(Buffer.from('FROM node:21\n'), result.edits)).toThrow(StaleEditError);
  });
});

test('Helm map-style values: tag and digest fields are edited in place', () => {
  const text = `image:\n  repository: bitnami/redis\n  tag: "7.2.4"\n  digest: ${DIGEST}\n`;
  const deps = helm.extract(text, 'values.yaml').deps;
  expect(edit(text, deps, [{ tag: '7.2.5', digest: NEW_DIGEST }])).toBe(
    `image:\n  repository: bitnami/redis\n  tag: "7.2.5"\n  digest: ${NEW_DIGEST}\n`,
  );
});
