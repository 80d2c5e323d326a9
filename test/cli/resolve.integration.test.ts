// `dockhand scan --resolve` and `dockhand fix` end to end: the real CLI entry point, a real registry
// (Debian's docker-registry, images pushed by skopeo), and files on disk.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { Redis } from 'ioredis';
import { startRedis } from '../support/redis.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

let registry: TestRegistry;
const digests: Record<string, string> = {};

beforeAll(async () => {
  registry = await startRegistry();
  for (const [tag, created] of [
    ['1.0.0', '2025-01-01T00:00:00Z'],
    ['1.1.0', '2025-02-01T00:00:00Z'],
    ['2.0.0', '2025-03-01T00:00:00Z'],
    ['latest', '2025-03-01T00:00:00Z'],
  ] as const) {
    const layout = await registry.push('team/app', tag, { images: [{ created }] });
    digests[tag] = layout.digest;
  }
}, 120_000);
afterAll(() => registry?.stop());

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd: '/',
    isTTY: false,
  });
  return { code, stdout, stderr };
}

async function project(dockerfile: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dockhand-fix-'));
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  await writeFile(join(dir, '.dockhand.yml'), 'failureThreshold: none\n');
  return dir;
}

describe('scan --resolve', () => {
  it('adds the updates each dependency can take to the JSON report', async () => {
    const dir = await project(`FROM ${registry.host}/team/app:1.0.0\nFROM ${registry.host}/team/app\n`);
    const { code, stdout, stderr } = await cli(['scan', dir, '--resolve', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [versioned, untagged] = JSON.parse(stdout).files[0].deps;
    expect(versioned.updates).toEqual([
      { type: 'major', newValue: '2.0.0', newDigest: digests['2.0.0'] },
      { type: 'minor', newValue: '1.1.0', newDigest: digests['1.1.0'] },
      { type: 'pin', newValue: null, newDigest: digests['1.0.0'] },
    ]);
    expect(untagged.updates).toEqual([{ type: 'replace', newValue: null, newDigest: digests.latest }]);
    await rm(dir, { recursive: true });
  });

  it('reports a stale digest as DH301 and a registry error per image, without failing the scan', async () => {
    const stale = `sha256:${'0'.repeat(64)}`;
    const dir = await project(
      `FROM ${registry.host}/team/app:2.0.0@${digests['1.0.0']}\nFROM ${registry.host}/team/missing:1.0\n`,
    );
    const { code, stdout } = await cli(['scan', dir, '--resolve']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/DH301 stale-base-digest/);
    expect(stdout).toMatch(
      new RegExp(`digest: .*team/app:2.0.0@sha256:\\w+ → digest ${digests['2.0.0']!.slice(0, 19)}`),
    );
    expect(stdout).toMatch(/lookup +.*team\/missing:1\.0: .*not/i);
    expect(stdout).not.toContain(stale);
    await rm(dir, { recursive: true });
  });
});

describe('multi-arch pins', () => {
  it('a single-platform pin moves to the same platform of the rebuilt image; an index pin stays an index', async () => {
    const amd64 = { os: 'linux', architecture: 'amd64' };
    const arm64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };
    const old = await registry.push('team/multi', '3.20', {
      images: [
        { platform: amd64, created: '2025-01-01T00:00:00Z' },
        { platform: arm64, created: '2025-01-01T00:00:00Z' },
      ],
    });
    // The tag is rebuilt: new index, new platform manifests.
    const rebuilt = await registry.push('team/multi', '3.20', {
      images: [
        { platform: amd64, created: '2025-06-01T00:00:00Z' },
        { platform: arm64, created: '2025-06-01T00:00:00Z' },
      ],
    });
    const oldArm = old.images.find((i) => i.platform.architecture === 'arm64')!.digest;
    const newArm = rebuilt.images.find((i) => i.platform.architecture === 'arm64')!.digest;
    const dir = await project(
      `FROM ${registry.host}/team/multi:3.20@${oldArm}\nFROM ${registry.host}/team/multi:3.20@${old.digest}\n`,
    );
    expect((await cli(['fix', dir, '--type', 'digest'])).code).toBe(0);
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toBe(
      `FROM ${registry.host}/team/multi:3.20@${newArm}\nFROM ${registry.host}/team/multi:3.20@${rebuilt.digest}\n`,
    );
    await rm(dir, { recursive: true });
  });
});

describe('scan --resolve --redis', () => {
  it('shares registry answers through Redis: a second process finds them there', async () => {
    const redis = await startRedis({ spawn: true });
    const dir = await project(`FROM ${registry.host}/team/app:1.0.0\n`);
    try {
      const first = await cli(['scan', dir, '--resolve', '--redis', redis.url, '--format', 'json']);
      expect(first.stderr).toBe('');
      const raw = new Redis(redis.url);
      const keys = await raw.keys('dockhand:cache:*');
      await raw.quit();
      expect(keys.some((k) => k.includes('tags'))).toBe(true);
      // Stop the registry's answers from mattering: the same report comes from the cache.
      const second = await cli(['scan', dir, '--resolve', '--redis', redis.url, '--format', 'json']);
      expect(second.stdout).toBe(first.stdout);
    } finally {
      await rm(dir, { recursive: true });
      await redis.stop();
    }
  });

  it('an unreachable Redis is reported and the scan goes on with fresh lookups', async () => {
    const dir = await project(`FROM ${registry.host}/team/app:1.0.0\n`);
    const { code, stdout, stderr } = await cli([
      'scan',
      dir,
      '--resolve',
      '--redis',
      'redis://127.0.0.1:1',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/cache/);
    expect(JSON.parse(stdout).files[0].deps[0].updates.length).toBeGreaterThan(0);
    await rm(dir, { recursive: true });
  });
});

describe('fix', () => {
  it('writes the chosen updates, prints a unified diff, and a second run changes nothing', async () => {
    const original = `# build\r\nFROM ${registry.host}/team/app:1.0.0 AS build\r\nFROM ${registry.host}/team/app:1.0.0\r\n`;
    const dir = await project(original);
    const first = await cli(['fix', dir]);
    expect(first.code).toBe(0);
    const updated = await readFile(join(dir, 'Dockerfile'), 'utf8');
    // Default types take the minor update (with its digest, pinning is on) and never the major.
    expect(updated).toBe(original.replaceAll('app:1.0.0', `app:1.1.0@${digests['1.1.0']}`));
    expect(first.stdout).toContain('--- a/Dockerfile\n+++ b/Dockerfile\n');
    expect(first.stdout).toContain(`+FROM ${registry.host}/team/app:1.1.0@${digests['1.1.0']} AS build`);
    expect(first.stderr).toContain('2 updates written');

    const second = await cli(['fix', dir]);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('0 updates written');
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toBe(updated);
    await rm(dir, { recursive: true });
  });

  it('--type major moves to the next major; unknown types are a usage error', async () => {
    const dir = await project(`ARG V=1.0.0\nFROM ${registry.host}/team/app:\${V}\n`);
    expect((await cli(['fix', dir, '--type', 'major'])).code).toBe(0);
    // The tag came from an ARG: the ARG line is what changes.
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toBe(
      `ARG V=2.0.0\nFROM ${registry.host}/team/app:\${V}@${digests['2.0.0']}\n`,
    );
    const bad = await cli(['fix', dir, '--type', 'bump']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--type: expected some of major, minor, patch, digest, pin, replace, got "bump"',
    );
    await rm(dir, { recursive: true });
  });
});
