import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { Dependency, DependencyUpdate } from '../../src/core/types.js';
import {
  dependencyEdits,
  hashBlockText,
  updateEdits,
  type ValueChange,
} from '../../src/edit/dependency-edits.js';
import { applyEdits, StaleEditError, type Edit } from '../../src/edit/replace.js';
import { manager as dockerfile } from '../../src/managers/dockerfile/index.js';
import { manager as helm } from '../../src/managers/helm-values/index.js';
import { extractRequirementsFile } from '../../src/managers/pip-requirements/index.js';

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

describe('requirements pinned with --hash: the new pin and the new release’s hashes', () => {
  const folder = fileURLToPath(new URL('../fixtures/packages/hashes/', import.meta.url));
  const read = (name: string) => readFileSync(join(folder, name), 'utf8');
  type Planned = Pick<DependencyUpdate, 'newValue' | 'newVersion' | 'newHashes'>;
  const planned = JSON.parse(read('updates.json')) as Record<string, Planned>;
  const update = (u: Planned): DependencyUpdate => ({ type: 'minor', newDigest: null, ...u });
  const requirements = (text: string) => extractRequirementsFile(text, 'requirements.txt').deps;
  /** Every dep with a planned update gets it; ASCII text, so string offsets are byte offsets. */
  const fixAll = (text: string, updates = planned): string => {
    const edits: Edit[] = [];
    for (const dep of requirements(text)) {
      const found = updates[dep.depName];
      if (!found) continue;
      const result = updateEdits(dep, update(found));
      if ('error' in result) throw new Error(result.error);
      edits.push(...result.edits);
    }
    return applyEdits(Buffer.from(text), edits).toString();
  };

  test('pip-compile blocks: one sorted --hash per continuation line at the same indentation; one-line blocks stay on one line', () => {
    expect(fixAll(read('requirements.txt'))).toBe(read('requirements.expected.txt'));
  });

  test('CRLF files keep CRLF in the lines they gain', () => {
    const crlf = read('requirements.txt').replaceAll('\n', '\r\n');
    expect(fixAll(crlf)).toBe(read('requirements.expected.txt').replaceAll('\n', '\r\n'));
  });

  test('the extractor records the block from the end of the requirement to the last hash', () => {
    const text =
      'idna==3.6 ; python_version >= "3.8" \\\n\t--hash=sha256:aa \\\n\t--hash sha256:bb  # c\nx==1\n';
    const [dep] = requirements(text);
    expect(dep!.hashesText).toBe(' \\\n\t--hash=sha256:aa \\\n\t--hash sha256:bb');
    expect(text.slice(dep!.hashesRange!.start, dep!.hashesRange!.end)).toBe(dep!.hashesText);
    // Tab indentation is kept.
    expect(
      fixAll(text, { idna: { newValue: '==3.7', newVersion: '3.7', newHashes: ['sha256:dd', 'sha256:cc'] } }),
    ).toBe('idna==3.7 ; python_version >= "3.8" \\\n\t--hash=sha256:cc \\\n\t--hash=sha256:dd  # c\nx==1\n');
  });

  test('a continuation right after the pin (no space) stays in the block', () => {
    const text = 'six==1.15.0\\\n  --hash=sha256:aa\n';
    expect(
      fixAll(text, {
        six: { newValue: '==1.16.0', newVersion: '1.16.0', newHashes: ['sha256:cc', 'sha256:bb'] },
      }),
    ).toBe('six==1.16.0\\\n  --hash=sha256:bb \\\n  --hash=sha256:cc\n');
  });

  test('hashes are sorted by their text, as Python sorts them (digits before letters, no locale)', () => {
    expect(hashBlockText(' --hash=sha256:0', ['sha256:b', 'sha256:B', 'sha256:a', 'sha256:9'])).toBe(
      ' --hash=sha256:9 --hash=sha256:B --hash=sha256:a --hash=sha256:b',
    );
  });

  test('a hashed pin never moves without its hashes; the other options after the hashes block the edit', () => {
    const [dep] = requirements('six==1.15.0 \\\n    --hash=sha256:aa\n');
    expect(updateEdits(dep!, update({ newValue: '==1.16.0', newVersion: '1.16.0' }))).toEqual({
      error:
        "six 1.16.0 (line 1): the new release's hashes are unknown, so its --hash lines cannot be written",
    });
    const [mixed] = requirements('six==1.15.0 --hash=sha256:aa --config-settings x=y\n');
    expect(mixed!.hashes).toEqual(['sha256:aa']);
    expect(mixed!.hashesRange).toBeUndefined();
    expect(
      updateEdits(mixed!, update({ newValue: '==1.16.0', newVersion: '1.16.0', newHashes: ['sha256:bb'] })),
    ).toEqual({
      error: 'six 1.16.0 (line 1): no place to write its --hash lines (another option follows them)',
    });
  });

  test('options before the hashes stay where they are', () => {
    const text = 'six==1.15.0 --config-settings x=y \\\n    --hash=sha256:aa\n';
    expect(
      fixAll(text, {
        six: { newValue: '==1.16.0', newVersion: '1.16.0', newHashes: ['sha256:bb', 'sha256:cc'] },
      }),
    ).toBe('six==1.16.0 --config-settings x=y \\\n    --hash=sha256:bb \\\n    --hash=sha256:cc\n');
  });

  test('a pin without hashes ignores newHashes; the hash block is refused when the file changed', () => {
    const [plain] = requirements('six==1.15.0\n');
    const result = updateEdits(
      plain!,
      update({ newValue: '==1.16.0', newVersion: '1.16.0', newHashes: ['sha256:bb'] }),
    );
    expect(result).toEqual({
      edits: [{ range: { start: 3, end: 11 }, text: '==1.16.0', expect: '==1.15.0' }],
    });
    const text = 'six==1.15.0 \\\n    --hash=sha256:aa\n';
    const [dep] = requirements(text);
    const edits = updateEdits(
      dep!,
      update({ newValue: '==1.16.0', newVersion: '1.16.0', newHashes: ['sha256:bb'] }),
    );
    if ('error' in edits) throw new Error(edits.error);
    expect(() => applyEdits(Buffer.from(text.replace('aa', 'ab')), edits.edits)).toThrow(StaleEditError);
  });
});
