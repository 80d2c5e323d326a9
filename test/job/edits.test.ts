import { describe, expect, it } from 'vitest';
import { configFromTexts } from '../../src/config/load.js';
import type { DependencyUpdate, PackageFile } from '../../src/core/types.js';
import { branchFiles } from '../../src/job/edits.js';
import type { BranchPlan } from '../../src/job/types.js';
import { memorySource, scanSource } from '../../src/scan/scan.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

async function scan(
  files: Record<string, string>,
): Promise<{ files: PackageFile[]; base: Map<string, Buffer> }> {
  const entries = Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) }));
  const result = await scanSource(
    memorySource(entries, [], () => false),
    await configFromTexts([]),
  );
  return { files: result.files, base: new Map(entries.map((e) => [e.path, e.bytes])) };
}

function plan(
  files: PackageFile[],
  pick: (depName: string, line: number) => DependencyUpdate | undefined,
): BranchPlan {
  const changes = files.flatMap((file) =>
    file.deps.flatMap((dep) => {
      const update = pick(dep.depName, dep.line);
      return update ? [{ path: file.path, manager: file.manager, dep, update }] : [];
    }),
  );
  return {
    branch: 'dockhand/node-22.x',
    group: 'version',
    title: 't',
    changes,
    images: [],
    fingerprint: 'f',
  };
}

describe('branchFiles', () => {
  it('writes every change of the branch, in each file, and leaves other bytes alone', async () => {
    const { files, base } = await scan({
      Dockerfile: '# build\r\nFROM node:20.1.0 AS build\r\nFROM nginx:1.25\r\n',
      'api/Dockerfile': 'ARG NODE=20.1.0\nFROM node:${NODE}\n',
      'compose.yml': 'services:\n  web:\n    image: nginx:1.25\n',
    });
    const result = branchFiles(
      plan(files, (name) =>
        name === 'docker.io/library/node'
          ? { type: 'major', newValue: '22.3.0', newDigest: DIGEST }
          : undefined,
      ),
      base,
    );
    expect(result.problems).toEqual([]);
    expect(Object.fromEntries([...result.files].map(([path, bytes]) => [path, bytes.toString()]))).toEqual({
      Dockerfile: `# build\r\nFROM node:22.3.0@${DIGEST} AS build\r\nFROM nginx:1.25\r\n`,
      'api/Dockerfile': `ARG NODE=22.3.0\nFROM node:\${NODE}@${DIGEST}\n`,
    });
    expect(result.applied).toHaveLength(2);
  });

  it('drops a change it cannot write, with the reason, and keeps the rest', async () => {
    const { files, base } = await scan({
      Dockerfile: 'ARG V=20\nARG S=-alpine\nFROM node:${V}${S}\nFROM node:20.1.0\n',
    });
    const result = branchFiles(
      plan(files, () => ({ type: 'minor', newValue: '20.5.0', newDigest: null })),
      base,
    );
    expect(result.problems).toEqual([
      expect.stringMatching(/^Dockerfile: no place to write the tag of node:20-alpine \(line 3\)/),
    ]);
    expect(result.files.get('Dockerfile')?.toString()).toBe(
      'ARG V=20\nARG S=-alpine\nFROM node:${V}${S}\nFROM node:20.5.0\n',
    );
  });

  it('reports a file that is gone from the base instead of failing', async () => {
    const { files } = await scan({ Dockerfile: 'FROM node:20.1.0\n' });
    const result = branchFiles(
      plan(files, () => ({ type: 'patch', newValue: '20.1.1', newDigest: null })),
      new Map(),
    );
    expect(result.files.size).toBe(0);
    expect(result.problems).toEqual(['Dockerfile: not in the base branch any more']);
  });
});
