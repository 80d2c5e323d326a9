// The repository's `packageManager: npm@X.Y.Z` pin, against a real registry (verdaccio): a stand-in
// package named `npm` is published with `npm publish`, whose bin/npm-cli.js records its argv and writes a
// plausible lockfile, so the tests see the pinned version run. It is fetched once (integrity checked),
// cached under the cache root by an atomic rename, and reused. A pin that cannot be used falls back to the
// shipped npm with a note saying why. The tar reader refuses links, `..` and absolute paths.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findNpmCli } from '../../src/lockfiles/npm-cli.js';
import { relockNpmLock } from '../../src/lockfiles/npm-relock.js';
import { regenerateNpmLockfile } from '../../src/lockfiles/npm.js';
import { npmCliVersion, pinnedNpmCli, pinnedNpmVersion } from '../../src/lockfiles/npm-version.js';
import { readTarGz } from '../../src/lockfiles/npm-version-tar.js';
import type { RelockRequest } from '../../src/lockfiles/request.js';
import { startVerdaccio, type TestNpmRegistry } from '../support/verdaccio.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

const run = promisify(execFile);

let registry: TestNpmRegistry;
let proxy: RecordingProxy;
let markers: string;
let cacheRoot: string;
const dirs: string[] = [];
const shippedVersion = npmCliVersion(findNpmCli()!)!;

const tempDir = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

/** A stand-in npm: records its argv and cwd's files, writes a lock naming itself. */
const fakeNpmCli = (version: string) => `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
fs.writeFileSync(path.join(${JSON.stringify(markers)}, 'npm-${version}.json'),
  JSON.stringify({ argv: process.argv.slice(2), files: fs.readdirSync('.').sort() }));
const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
fs.writeFileSync('package-lock.json', JSON.stringify({
  name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true,
  packages: { '': { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies } },
  writtenBy: 'npm@${version}',
}, null, 2) + '\\n');
`;

/** `npm publish` of a package named `npm` with a bin/npm-cli.js (verdaccio.ts publishes index.js only). */
async function publishFakeNpm(version: string, engines: string) {
  const source = await tempDir('dockhand-fake-npm-src-');
  await mkdir(join(source, 'bin'));
  await writeFile(
    join(source, 'package.json'),
    JSON.stringify({ name: 'npm', version, engines: { node: engines }, bin: { npm: 'bin/npm-cli.js' } }),
  );
  await writeFile(join(source, 'bin', 'npm-cli.js'), fakeNpmCli(version), { mode: 0o755 });
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  await run(
    process.execPath,
    [
      findNpmCli()!,
      'publish',
      '--ignore-scripts',
      '--registry',
      registry.url,
      '--userconfig',
      join(registry.dir, 'npmrc'),
      '--cache',
      join(source, '.cache'),
    ],
    { cwd: source, env, timeout: 60_000 },
  );
}

beforeAll(async () => {
  markers = await tempDir('dockhand-npm-markers-');
  registry = await startVerdaccio();
  await registry.publish({ name: 'left-pad', version: '1.1.0' }, { name: 'left-pad', version: '1.3.0' });
  await publishFakeNpm('9.9.8', '<10');
  await publishFakeNpm('9.9.9', '>=18');
  proxy = await startRecordingProxy(registry.url, { keepHost: true });
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await registry?.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

beforeEach(async () => {
  proxy.requests.length = 0;
  cacheRoot = await tempDir('dockhand-npm-versions-');
});

const manifest = (packageManager?: string) =>
  `${JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' }, ...(packageManager && { packageManager }) }, null, 2)}\n`;

const EMPTY_LOCK = JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, packages: {} });

function relock(text: string, registryUrl = proxy.url) {
  const request: RelockRequest = {
    manifestPath: 'package.json',
    lockPath: 'package-lock.json',
    manifest: text,
    lockfile: EMPTY_LOCK,
    deps: [],
    readFile: () => Promise.resolve(undefined),
    registries: { npm: registryUrl, pypi: 'http://127.0.0.1:9/simple' },
  };
  return relockNpmLock(request);
}

// regenerateNpmLockfile takes npmVersions; the relocker uses the defaults, so the tests point the cache
// root at a temp dir through the environment npm-version.ts reads: os.tmpdir().
async function withTmp<T>(dir: string, body: () => Promise<T>): Promise<T> {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

describe('packageManager npm pin', () => {
  it('reads npm@X.Y.Z with or without a hash, and nothing else', () => {
    expect(pinnedNpmVersion(manifest('npm@10.9.2'))).toBe('10.9.2');
    expect(pinnedNpmVersion(manifest('npm@10.9.2+sha512.abcDEF012/+='))).toBe('10.9.2');
    expect(pinnedNpmVersion(manifest('npm@11.0.0-pre.1'))).toBe('11.0.0-pre.1');
    expect(pinnedNpmVersion(manifest('pnpm@9.0.0'))).toBeUndefined();
    expect(pinnedNpmVersion(manifest('npm@^10'))).toBeUndefined();
    expect(pinnedNpmVersion(manifest('npm@../../x'))).toBeUndefined();
    expect(pinnedNpmVersion(manifest())).toBeUndefined();
  });

  it('runs the pinned npm, fetched once with its integrity checked and cached by rename', async () => {
    const tmp = await tempDir('dockhand-tmp-');
    const result = await withTmp(tmp, () => relock(manifest('npm@9.9.9+sha512.deadbeef')));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.notes).toBeUndefined();
    expect(JSON.parse(result.lockfile).writtenBy).toBe('npm@9.9.9');
    const seen = JSON.parse(await readFile(join(markers, 'npm-9.9.9.json'), 'utf8'));
    expect(seen.argv).toEqual(
      expect.arrayContaining(['install', '--package-lock-only', '--ignore-scripts', '--workspaces=false']),
    );
    expect(seen.files).toEqual(['.npmrc', 'package-lock.json', 'package.json']);
    expect(proxy.requests.map((r) => r.url)).toEqual(['/npm/9.9.9', '/npm/-/npm-9.9.9.tgz']);
    expect(await readdir(join(tmp, 'dockhand-npm-versions'))).toEqual(['9.9.9']);
    expect(existsSync(join(tmp, 'dockhand-npm-versions', '9.9.9', 'bin', 'npm-cli.js'))).toBe(true);

    // The second run uses the cache: nothing about npm is asked of the registry.
    proxy.requests.length = 0;
    await rm(join(markers, 'npm-9.9.9.json'));
    const again = await withTmp(tmp, () => relock(manifest('npm@9.9.9')));
    expect(again).toMatchObject({ ok: true });
    expect(existsSync(join(markers, 'npm-9.9.9.json'))).toBe(true);
    expect(proxy.requests).toEqual([]);
  }, 120_000);

  it('falls back to the shipped npm for a version the registry does not have, and says so', async () => {
    const tmp = await tempDir('dockhand-tmp-');
    const result = await withTmp(tmp, () => relock(manifest('npm@9.9.7')));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    // The real npm wrote this lock.
    expect(JSON.parse(result.lockfile).packages['node_modules/left-pad'].version).toBe('1.3.0');
    expect(result.notes).toEqual([
      expect.stringMatching(
        new RegExp(
          `^packageManager pins npm@9\\.9\\.7, which could not be used \\(npm@9\\.9\\.7 is not on http://127\\.0\\.0\\.1:\\d+/\\); the lockfile was regenerated with npm ${shippedVersion.replace(/\./g, '\\.')}$`,
        ),
      ),
    ]);
    expect(existsSync(join(tmp, 'dockhand-npm-versions', '9.9.7'))).toBe(false);
  }, 120_000);

  it('falls back when the pinned npm does not support this Node', async () => {
    const tmp = await tempDir('dockhand-tmp-');
    const result = await withTmp(tmp, () => relock(manifest('npm@9.9.8')));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.notes?.[0]).toMatch(
      /npm@9\.9\.8 does not support Node v\d+\.\d+\.\d+ \(engines\.node <10\)/,
    );
    expect(existsSync(join(markers, 'npm-9.9.8.json'))).toBe(false);
    expect(proxy.requests.some((r) => r.url.endsWith('.tgz'))).toBe(false);
  }, 120_000);

  it('uses the shipped npm without asking the registry when the pin is the shipped version', async () => {
    const result = await relock(manifest(`npm@${shippedVersion}`));
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.notes).toBeUndefined();
    expect(proxy.requests.some((r) => r.url.startsWith('/npm'))).toBe(false);
  }, 120_000);

  it("never fetches the pinned npm from a registry the repository's .npmrc names", async () => {
    const offline = new MockAgent();
    offline.disableNetConnect();
    try {
      const result = await regenerateNpmLockfile({
        manifest: manifest('npm@9.9.9'),
        lockfile: EMPTY_LOCK,
        lockName: 'package-lock.json',
        npmrc: `registry=${proxy.url}\n`,
        npmVersions: { dispatcher: offline, cacheRoot },
      });
      expect(result).toMatchObject({ ok: true });
      if (!result.ok) return;
      expect(result.notes?.[0]).toMatch(
        /could not be used \(GET https:\/\/registry\.npmjs\.org\/npm\/9\.9\.9: /,
      );
      expect(JSON.parse(result.lockfile).packages['node_modules/left-pad'].version).toBe('1.3.0');
      expect(proxy.requests.some((r) => r.url.startsWith('/npm'))).toBe(false);
    } finally {
      await offline.close();
    }
  }, 120_000);

  it('refuses a cache root others may write (os.tmpdir() is shared)', async () => {
    await chmod(cacheRoot, 0o777);
    await expect(pinnedNpmCli('9.9.9', { registry: proxy.url, cacheRoot })).rejects.toThrow(
      /is not a directory of this user's that only it may write/,
    );
    expect(proxy.requests).toEqual([]);
  });

  it('refuses a tarball that does not match its integrity', async () => {
    const tarball = gzipSync(tar([{ name: 'package/bin/npm-cli.js', body: 'x' }]));
    const server = await serve({
      '/npm/1.2.3': JSON.stringify({
        name: 'npm',
        version: '1.2.3',
        dist: { integrity: `sha512-${createHash('sha512').update('other').digest('base64')}` },
      }),
      '/npm/-/npm-1.2.3.tgz': tarball,
    });
    try {
      await expect(pinnedNpmCli('1.2.3', { registry: server.url, cacheRoot })).rejects.toThrow(
        /npm@1\.2\.3's tarball does not match its integrity/,
      );
      expect(await readdir(cacheRoot)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('extracts a well-formed tarball served by any registry, and refuses oversized ones', async () => {
    const good = gzipSync(
      tar([
        { name: 'package/package.json', body: '{"name":"npm","version":"1.2.4"}' },
        { name: 'package/bin/npm-cli.js', body: 'console.log(1)', mode: 0o755 },
      ]),
    );
    const big = Buffer.alloc(21 * 1024 * 1024, 1);
    const sri = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    const server = await serve({
      '/npm/1.2.4': JSON.stringify({ name: 'npm', version: '1.2.4', dist: { integrity: sri(good) } }),
      '/npm/-/npm-1.2.4.tgz': good,
      '/npm/1.2.5': JSON.stringify({ name: 'npm', version: '1.2.5', dist: { integrity: sri(big) } }),
      '/npm/-/npm-1.2.5.tgz': big,
    });
    try {
      const cli = await pinnedNpmCli('1.2.4', { registry: server.url, cacheRoot });
      expect(cli).toBe(join(cacheRoot, '1.2.4', 'bin', 'npm-cli.js'));
      expect(await readFile(cli, 'utf8')).toBe('console.log(1)');
      await expect(pinnedNpmCli('1.2.5', { registry: server.url, cacheRoot })).rejects.toThrow(/exceeds/);
      expect((await readdir(cacheRoot)).sort()).toEqual(['1.2.4']);
    } finally {
      await server.close();
    }
  });

  it('the tar reader refuses links, .. and absolute paths', () => {
    const refused = (entries: TarInput[]) => () => readTarGz(gzipSync(tar(entries)));
    expect(refused([{ name: 'package/../../etc/x', body: 'x' }])).toThrow(/path with \.\./);
    expect(refused([{ name: '/etc/passwd', body: 'x' }])).toThrow(/absolute/);
    expect(refused([{ name: 'package/bin/npm-cli.js', type: '2', link: '/etc/passwd' }])).toThrow(
      /links are not extracted/,
    );
    expect(refused([{ name: 'package/bin/npm-cli.js', type: '1', link: 'package/x' }])).toThrow(
      /links are not extracted/,
    );
    expect(refused([{ name: 'package/fifo', type: '6' }])).toThrow(/entry type "6"/);
    const ok = readTarGz(gzipSync(tar([{ name: 'package/lib/a.js', body: 'a' }])));
    expect(ok.map((e) => [e.path, e.data.toString()])).toEqual([['lib/a.js', 'a']]);
  });
});

interface TarInput {
  name: string;
  body?: string;
  mode?: number;
  type?: string;
  link?: string;
}

/** A ustar archive (for the reader's tests). */
function tar(entries: TarInput[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? '');
    const header = Buffer.alloc(512);
    header.write(entry.name, 0, 100);
    header.write(`${(entry.mode ?? 0o644).toString(8).padStart(7, '0')}\0`, 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write(entry.type ?? '0', 156);
    if (entry.link) header.write(entry.link, 157, 100);
    header.write('ustar\0', 257);
    header.write('00', 263);
    header.fill(0x20, 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

async function serve(
  routes: Record<string, string | Buffer>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const body = routes[req.url ?? ''];
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
