// The pieces under npm lockfile regeneration, without a registry: the child's environment, the process
// group kill, the output cap, the .npmrc filter and the npm that is chosen.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findNpmCli } from '../../src/lockfiles/npm-cli.js';
import { safeTail } from '../../src/lockfiles/outcome.js';
import { sanitizeNpmrc } from '../../src/lockfiles/npmrc.js';
import { runSandboxed, sandboxEnv } from '../../src/lockfiles/sandbox.js';

const SECRETS = {
  GITHUB_TOKEN: 'ghs_secret_token',
  PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----secret',
  REDIS_URL: 'redis://:secret@redis:6379',
  DOCKHAND_WEBHOOK_SECRET: 'secret',
  NPM_TOKEN: 'secret',
  NODE_OPTIONS: '--require /tmp/evil.js',
};

let dir: string;
const saved: Record<string, string | undefined> = {};
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dockhand-sandbox-test-'));
  for (const [key, value] of Object.entries(SECRETS)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
});
afterEach(async () => {
  for (const key of Object.keys(SECRETS)) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  await rm(dir, { recursive: true, force: true });
});

/** Running, as opposed to gone or a zombie waiting for a parent (or init) to reap it. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX] /s.test(stat);
  } catch {
    return false;
  }
};

describe('sandboxEnv', () => {
  it('holds only PATH, HOME, the two switches and what the caller sets — nothing from process.env', () => {
    const env = sandboxEnv({ home: dir, extra: { npm_config_cache: join(dir, 'cache') } });
    expect(Object.keys(env).sort()).toEqual(['CI', 'HOME', 'NO_UPDATE_NOTIFIER', 'PATH', 'npm_config_cache']);
    expect(env.PATH).toBe(`${join(process.execPath, '..')}:/usr/bin:/bin`);
    expect(env.HOME).toBe(dir);
    expect(JSON.stringify(env)).not.toMatch(/secret/);
  });

  it('is the whole environment the child sees', async () => {
    const outcome = await runSandboxed(
      process.execPath,
      ['-e', 'process.stdout.write(JSON.stringify(process.env))'],
      { cwd: dir, env: sandboxEnv({ home: dir }), timeoutMs: 30_000, maxOutputBytes: 1 << 20 },
    );
    expect(outcome.kind).toBe('exit');
    if (outcome.kind !== 'exit') return;
    const seen = JSON.parse(outcome.stdout) as Record<string, string>;
    for (const key of Object.keys(SECRETS)) expect(seen).not.toHaveProperty(key);
    expect(outcome.stdout).not.toMatch(/secret/);
  });
});

describe('runSandboxed', () => {
  it('on timeout kills the whole process group, grandchildren included', async () => {
    const pids = join(dir, 'pids');
    // The child starts a grandchild that would outlive it, writes both pids, then hangs.
    const script = `
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      require('node:fs').writeFileSync(${JSON.stringify(pids)}, process.pid + ' ' + g.pid);
      setInterval(() => {}, 1000);
    `;
    const running = runSandboxed(process.execPath, ['-e', script], {
      cwd: dir,
      env: sandboxEnv({ home: dir }),
      timeoutMs: 3000,
      maxOutputBytes: 1 << 20,
    });
    const outcome = await running;
    expect(outcome.kind).toBe('timeout');
    const [child, grandchild] = (await readFile(pids, 'utf8')).split(' ').map(Number);
    expect(alive(child!)).toBe(false);
    expect(alive(grandchild!)).toBe(false);
  });

  it('stops a process that writes more than the output cap', async () => {
    const outcome = await runSandboxed(
      process.execPath,
      ['-e', 'const s = "x".repeat(65536); setInterval(() => process.stderr.write(s), 1)'],
      { cwd: dir, env: sandboxEnv({ home: dir }), timeoutMs: 60_000, maxOutputBytes: 256 * 1024 },
    );
    expect(outcome.kind).toBe('output-limit');
    if (outcome.kind === 'output-limit') expect(outcome.stderr.length).toBeLessThanOrEqual(16 * 1024);
  });

  it('reports a program that cannot be started', async () => {
    const outcome = await runSandboxed(join(dir, 'missing'), [], {
      cwd: dir,
      env: sandboxEnv({ home: dir }),
      timeoutMs: 5000,
      maxOutputBytes: 1024,
    });
    expect(outcome.kind).toBe('spawn-error');
  });
});

describe('sanitizeNpmrc', () => {
  const npmrc = [
    'registry=https://npm.example.com/',
    '@acme:registry = https://npm.acme.test/npm/',
    '//npm.example.com/:_authToken=stolen',
    '//npm.acme.test/npm/:_auth=c3RvbGVu',
    '_authToken=stolen',
    '_password=stolen',
    'username=me',
    'email=me@example.com',
    'always-auth=true',
    'cafile=/etc/ssl/evil.pem',
    'cert=-----BEGIN CERTIFICATE-----',
    'key=-----BEGIN KEY-----',
    'script-shell=/bin/evil',
    'proxy=http://proxy.evil:8080/',
    'node-options=--require /tmp/evil.js',
    '@evil:registry=${EVIL_REGISTRY}',
    '@creds:registry=https://user:pass@npm.creds.test/',
    '@file:registry=file:///etc/',
    '; registry=https://commented.test/',
  ].join('\n');

  it('keeps registry lines with plain http(s) URLs and nothing else', () => {
    expect(sanitizeNpmrc(npmrc)).toBe(
      'registry=https://npm.example.com/\n@acme:registry=https://npm.acme.test/npm/\n',
    );
  });

  it("puts the operator's registry in place of the repository's", () => {
    expect(sanitizeNpmrc(npmrc, 'http://127.0.0.1:4873/')).toBe(
      'registry=http://127.0.0.1:4873/\n@acme:registry=https://npm.acme.test/npm/\n',
    );
    expect(sanitizeNpmrc(undefined, 'http://127.0.0.1:4873')).toBe('registry=http://127.0.0.1:4873/\n');
    expect(sanitizeNpmrc(undefined)).toBe('');
    expect(() => sanitizeNpmrc('', 'https://u:p@npm.example.com/')).toThrow(/plain http/);
  });
});

describe('safeTail', () => {
  it('hides the sandbox path and anything shaped like a credential, and keeps only the end', () => {
    const text = [
      'npm error code E401',
      'npm error //registry.example.com/:_authToken=abc123',
      'npm error GET https://user:hunter2@registry.example.com/x',
      'npm error authorization: Bearer abc123',
      'npm error A complete log of this run can be found in: /tmp/sbx/cache/_logs/x.log',
      'npm error at /tmp/sbx/project/package.json',
      'npm error Log files were not written due to the config logs-max=0',
    ].join('\n');
    const tail = safeTail(text, '/tmp/sbx');
    expect(tail).not.toMatch(/abc123|hunter2|\/tmp\/sbx|complete log|Log files/);
    expect(tail).toMatch(/E401/);
    expect(tail).toMatch(/<sandbox>\/project\/package.json/);
    expect(safeTail('x'.repeat(5000), '/tmp/sbx').length).toBeLessThanOrEqual(1501);
  });
});

describe('findNpmCli', () => {
  it("finds npm-cli.js in the official layout beside Dockhand's Node, or a system npm", () => {
    const cli = findNpmCli();
    expect(cli).toMatch(/npm-cli\.js$/);
    expect(existsSync(cli!)).toBe(true);
  });
});
