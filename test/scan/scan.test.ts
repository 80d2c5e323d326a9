import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { Config } from '../../src/config/index.js';
import type { Dependency } from '../../src/core/types.js';
import { managers } from '../../src/managers/index.js';
import { scanDirectory } from '../../src/scan/scan.js';
import { corpus, corpusDeps, FIXTURES } from '../support/corpus.js';

let root: string;
let config: Config;

async function put(files: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

/** The byte range must hold the dep's own text (with or without its `:`/`@` marker). */
function expectRangesHoldValues(bytes: Buffer, dep: Dependency): void {
  if (dep.tagRange) {
    const text = bytes.subarray(dep.tagRange.start, dep.tagRange.end).toString('latin1');
    expect(text.replace(/^:/, '')).toBe(Buffer.from(dep.tag ?? '', 'utf8').toString('latin1'));
  }
  if (dep.digestRange) {
    expect(bytes.subarray(dep.digestRange.start, dep.digestRange.end).toString().replace(/^@/, '')).toBe(
      dep.digest ?? '',
    );
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dockhand-scan-'));
  ({ config } = await loadConfig(root));
  await put({
    Dockerfile:
      '# Bâtiment 🐳 — image de base\nFROM node:20.11-alpine@sha256:' +
      'a'.repeat(64) +
      ' AS build\nUSER node\n',
    'latin1/Dockerfile': Buffer.concat([
      Buffer.from('# caf'),
      Buffer.from([0xe9]),
      Buffer.from('\nFROM alpine:3.20\n'),
    ]),
    'bom/Dockerfile': '\uFEFFFROM debian:bookworm\n',
    'own/Dockerfile': 'FROM alpine:3.20\nCOPY . /app\n',
    'own/Dockerfile.dockerignore': '.git\n.env*\n',
    'own/.dockerignore': 'ignored-because-the-own-file-wins\n',
    'shared/api.Dockerfile': 'FROM alpine:3.20\nCOPY . /app\n',
    'shared/.dockerignore': 'node_modules\n',
    'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n',
    'notes.yaml': 'just: data\n',
    'vendor/Dockerfile': 'FROM skipped:1\n',
  });
  await symlink('Dockerfile', join(root, 'link.Dockerfile'));
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('scanDirectory', () => {
  it('extracts deps with byte offsets, keeps BOMs and latin1 files exact', async () => {
    const { readFile } = await import('node:fs/promises');
    const result = await scanDirectory(root, config);
    const byPath = new Map(result.files.map((file) => [file.path, file]));
    for (const path of ['Dockerfile', 'latin1/Dockerfile', 'bom/Dockerfile', 'docker-compose.yml']) {
      const file = byPath.get(path);
      expect(file?.deps.length, path).toBeGreaterThan(0);
      const bytes = await readFile(join(root, path));
      for (const dep of file!.deps) expectRangesHoldValues(bytes, dep);
    }
    const [node] = byPath.get('Dockerfile')!.deps;
    expect(node).toMatchObject({ registry: 'docker.io', repository: 'library/node', tag: '20.11-alpine' });
    // The emoji and accents before the tag make UTF-8 offsets differ from UTF-16 ones.
    expect(node!.tagRange!.start).toBeGreaterThan('# Bâtiment 🐳 — image de base\nFROM node'.length);
  });

  it('lists files in path order, drops YAML that holds no image, and reports symlinks', async () => {
    const result = await scanDirectory(root, config);
    expect(result.files.map((file) => `${file.manager}:${file.path}`)).toEqual([
      'dockerfile:Dockerfile',
      'dockerfile:bom/Dockerfile',
      'compose:docker-compose.yml',
      'dockerfile:latin1/Dockerfile',
      'dockerfile:own/Dockerfile',
      'dockerfile:shared/api.Dockerfile',
      'dockerfile:vendor/Dockerfile',
    ]);
    expect(result.skipped).toEqual([{ path: 'link.Dockerfile', reason: 'symlink' }]);
  });

  it('resolves each kept file on its own before linting it, so DH301 sees what resolving recorded', async () => {
    const calls: string[][] = [];
    const result = await scanDirectory(root, config, {
      resolve: async (files) => {
        calls.push(files.map((file) => file.path));
        await new Promise((done) => setTimeout(done, 1));
        for (const dep of files.flatMap((file) => file.deps)) if (dep.digest) dep.staleDigest = true;
      },
    });
    expect(calls.every((paths) => paths.length === 1)).toBe(true);
    expect(calls.flat().sort()).toEqual(result.files.map((file) => file.path));
    expect(result.findings.filter((f) => f.rule === 'DH301').map((f) => `${f.path}:${f.line}`)).toEqual([
      'Dockerfile:2',
    ]);
  });

  it('leaves out ignorePaths', async () => {
    const result = await scanDirectory(root, { ...config, ignorePaths: ['vendor/', '*.yml'] });
    expect(result.files.map((file) => file.path)).not.toContain('vendor/Dockerfile');
    expect(result.files.map((file) => file.path)).not.toContain('docker-compose.yml');
  });
});

/** Scans `dir` with its own configuration twice (the first run pays for JIT compilation); the second. */
async function timedScan(dir: string) {
  const { config: defaults } = await loadConfig(dir);
  await scanDirectory(dir, defaults);
  const started = performance.now();
  const result = await scanDirectory(dir, defaults);
  return { result, elapsed: performance.now() - started };
}

describe('scanning a whole tree', () => {
  it('finds every manager in the project fixture tree without crashing, quickly', async () => {
    const { result, elapsed } = await timedScan(FIXTURES);
    expect(new Set(result.files.map((file) => file.manager))).toEqual(
      new Set(managers.map((manager) => manager.name)),
    );
    expect(result.files.length).toBeGreaterThan(50);
    expect(result.findings.some((finding) => finding.rule === 'DH000')).toBe(true);
    expect(result.findings.filter((finding) => finding.message.startsWith('internal error'))).toEqual([]);
    expect(elapsed).toBeLessThan(5_000); // a guard against hangs
  });

  it.skipIf(!corpus)('finds every manager in the corpus without crashing, quickly', async () => {
    const { result, elapsed } = await timedScan(corpus!);
    console.log(
      `corpus: ${result.files.length} files, ${result.findings.length} findings in ${elapsed.toFixed(0)} ms`,
    );
    // The container corpus holds no npm or Python manifests (those are in corpus-deps, below).
    expect(new Set(result.files.map((file) => file.manager))).toEqual(
      new Set(managers.filter((manager) => !manager.runtime).map((manager) => manager.name)),
    );
    expect(result.files.length).toBeGreaterThan(500);
    expect(elapsed).toBeLessThan(5_000); // a guard against hangs; the 250 ms target is measured by bench/
  });
});

describe('npm and Python manifests', () => {
  it('are locked from their lockfile and learn the runtime of the image built beside them', async () => {
    const { result } = await timedScan(join(FIXTURES, 'packages'));
    const file = (path: string) => result.files.find((f) => f.path === path)!;
    expect(file('web/package.json').deps.map((d) => [d.depName, d.lockedVersion, d.lockFile])).toEqual([
      ['express', '4.19.2', 'web/package-lock.json'],
      ['left-pad', '1.3.0', 'web/package-lock.json'],
      ['typescript', '5.4.5', 'web/package-lock.json'],
      ['node', undefined, undefined],
    ]);
    expect(file('web/package.json').runtime).toEqual({
      kind: 'node',
      version: '22.3.0',
      image: 'node:22.3.0-alpine',
      from: { path: 'web/Dockerfile', line: 1 },
    });
    expect(file('api/requirements.txt').runtime).toEqual({
      kind: 'python',
      version: '3.11',
      image: 'python:3.11-slim',
      from: { path: 'api/Dockerfile', line: 1 },
    });
    expect(result.files.filter((f) => f.errors)).toEqual([]);
  });

  it('a lockfile that contradicts its manifest is an error on the manifest, and the scan goes on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dockhand-locks-'));
    await writeFile(join(dir, 'package.json'), '{"dependencies":{"express":"^4.18.0","lodash":"^4.17.0"}}');
    await writeFile(
      join(dir, 'package-lock.json'),
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { dependencies: { express: '^4.18.0' } },
          'node_modules/express': { version: '4.19.2' },
        },
      }),
    );
    await writeFile(join(dir, 'Dockerfile'), 'FROM node:22\nUSER node\n');
    try {
      const result = await scanDirectory(dir, (await loadConfig(dir)).config);
      const manifest = result.files.find((f) => f.path === 'package.json')!;
      expect(manifest.deps.find((d) => d.depName === 'express')?.lockedVersion).toBe('4.19.2');
      expect(manifest.errors).toEqual([{ message: expect.stringMatching(/^package-lock\.json: .*lodash/) }]);
      expect(result.files.map((f) => f.path)).toEqual(['Dockerfile', 'package.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!corpusDeps)('the npm/Python corpus: every package manager, no file lost', async () => {
    const { result } = await timedScan(corpusDeps!);
    expect(new Set(result.files.map((file) => file.manager))).toEqual(
      new Set(['dockerfile', ...managers.filter((m) => m.runtime).map((m) => m.name)]),
    );
    const deps = result.files.flatMap((f) => f.deps).filter((d) => d.datasource && d.datasource !== 'docker');
    const locked = deps.filter((d) => d.lockedVersion).length;
    console.log(`corpus-deps: ${result.files.length} files, ${deps.length} package deps, ${locked} locked`);
    expect(deps.length).toBeGreaterThan(5_000);
    expect(locked).toBeGreaterThan(3_000);
  });
});

describe('compose build contexts', () => {
  it('lint a Dockerfile with the .dockerignore of the context a compose file builds it with', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dockhand-context-'));
    await mkdir(join(dir, 'docker'));
    await writeFile(join(dir, 'docker/web.Dockerfile'), 'FROM node:22\nCOPY . /app\n');
    await writeFile(join(dir, '.dockerignore'), '.git\n.env*\n');
    await writeFile(
      join(dir, 'compose.yaml'),
      'services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/web.Dockerfile\n',
    );
    const result = await scanDirectory(dir, (await loadConfig(dir)).config);
    expect(result.files.find((f) => f.path === 'compose.yaml')?.builds).toEqual([
      { service: 'web', context: '.', dockerfile: 'docker/web.Dockerfile', remote: false, line: 4 },
    ]);
    expect(result.findings.filter((f) => f.rule === 'DH102')).toEqual([]);

    // Without the compose file the context is the Dockerfile's folder, which has no .dockerignore.
    await rm(join(dir, 'compose.yaml'));
    const alone = await scanDirectory(dir, (await loadConfig(dir)).config);
    expect(alone.findings.filter((f) => f.rule === 'DH102').map((f) => f.path)).toEqual([
      'docker/web.Dockerfile',
    ]);
    await rm(dir, { recursive: true });
  });
});
