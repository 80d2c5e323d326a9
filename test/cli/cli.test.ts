import { execFile, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues } from '../../src/queue/queues.js';
import { freePort } from '../support/free-port.js';
import { runCli } from '../support/cli.js';
import { corpus, FIXTURES } from '../support/corpus.js';
import { startRedis } from '../support/redis.js';
import { sendWebhook } from '../support/webhooks.js';

const BIN = fileURLToPath(new URL('../../bin/dockhand.js', import.meta.url));

let dir: string;

async function put(files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

/** Runs main() in-process with captured output. */
const cli = (argv: string[], options: { isTTY?: boolean; env?: Record<string, string> } = {}) =>
  runCli(argv, { cwd: dir, ...options });

/** Runs the real executable, as a user would. */
function spawnCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dockhand-cli-'));
  await put({
    'app/Dockerfile': 'FROM node:20\nRUN npm ci\n',
    'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n',
    'clean/Dockerfile': 'FROM scratch\nCOPY app /app\n',
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('dockhand (in-process)', () => {
  it('prints help and version', async () => {
    expect(await cli(['--help'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Usage: dockhand scan'),
    });
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it.each([
    [[], 'missing command'],
    [['lint'], 'unknown command "lint"'],
    [['scan', '--fromat', 'json'], "Unknown option '--fromat'"],
    [['scan', '--format', 'xml'], '--format: expected one of text, json, sarif, got "xml"'],
    [['scan', 'a', 'b'], 'unexpected argument "b"'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const { code, stderr, stdout } = await cli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: dockhand scan');
  });

  it('exits 2 naming a missing directory', async () => {
    expect(await cli(['scan', 'nowhere'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'dockhand: nowhere: no such directory\n',
    });
  });

  it('exits 2 on an invalid config, naming file, field and expectation', async () => {
    await put({ 'bad/.github/dockhand.yml': 'failureThreshold: fatal\n' });
    const { code, stderr } = await cli(['scan', 'bad']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      '.github/dockhand.yml: failureThreshold: expected one of error, warning, info, none, got "fatal"',
    );
    const missing = await cli(['scan', '--config', 'missing.yml']);
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('missing.yml: config file not found'),
    });
  });

  it('exits 1 when a finding reaches failureThreshold and 0 when none does', async () => {
    await put({ 'info.yml': 'failureThreshold: info\n', 'never.yml': 'failureThreshold: none\n' });
    const strict = await cli(['scan', 'app', '--config', 'info.yml', '--format', 'json']);
    expect(JSON.parse(strict.stdout).findings.length).toBeGreaterThan(0);
    expect(strict.code).toBe(1);
    expect((await cli(['scan', 'app', '--config', 'never.yml'])).code).toBe(0);
  });

  it('writes --output without colours and still sets the exit code', async () => {
    await put({ 'info.yml': 'failureThreshold: info\n' });
    const { code, stdout } = await cli(['scan', 'app', '--config', 'info.yml', '--output', 'report.txt'], {
      isTTY: true,
      env: { FORCE_COLOR: '1' },
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const report = await readFile(join(dir, 'report.txt'), 'utf8');
    expect(report).toContain('Dockerfile\n');
    expect(report).not.toContain('\u001b[');
  });

  it('colours text on a TTY unless NO_COLOR, and when FORCE_COLOR', async () => {
    const has = async (isTTY: boolean, env: Record<string, string>) =>
      (await cli(['scan', 'app'], { isTTY, env })).stdout.includes('\u001b[');
    expect(await has(true, {})).toBe(true);
    expect(await has(true, { NO_COLOR: '1' })).toBe(false);
    expect(await has(false, {})).toBe(false);
    expect(await has(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(await has(true, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('reports paths relative to DIR in every format', async () => {
    const json = JSON.parse((await cli(['scan', '.', '--format', 'json'])).stdout);
    expect(json.files.map((file: { path: string }) => file.path)).toEqual([
      'app/Dockerfile',
      'clean/Dockerfile',
      'docker-compose.yml',
    ]);
    const sarif = JSON.parse((await cli(['scan', '--format', 'sarif'])).stdout);
    for (const result of sarif.runs[0].results) {
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^(app|clean)\/Dockerfile$/);
    }
  });
});

describe('dockhand worker and serve (in-process)', () => {
  it('worker exits 2 with a clear message when the app id is missing', async () => {
    const { code, stdout, stderr } = await cli(['worker'], { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('dockhand worker: APP_ID is not set\n');
  });

  it('worker exits 2 naming the key variables when the private key is missing or unreadable', async () => {
    const missing = await cli(['worker'], { env: { APP_ID: '123' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'dockhand worker: no GitHub App private key: set PRIVATE_KEY (PEM, or base64 of it) or PRIVATE_KEY_PATH (a readable PEM file)\n',
    );
    const garbled = await cli(['worker'], { env: { APP_ID: '123', PRIVATE_KEY: 'not a key' } });
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toContain('no GitHub App private key');
    expect(garbled.stderr).not.toContain('not a key');
    const absent = await cli(['worker'], { env: { APP_ID: '123', PRIVATE_KEY_PATH: join(dir, 'none.pem') } });
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain('PRIVATE_KEY_PATH');
  });

  it('worker exits 2 on an unusable setting, naming it', async () => {
    const { code, stderr } = await cli(['worker'], { env: { APP_ID: '1', DOCKHAND_CONCURRENCY: 'many' } });
    expect(code).toBe(2);
    expect(stderr).toBe(
      'dockhand worker: DOCKHAND_CONCURRENCY must be an integer of at least 1 (got "many")\n',
    );
    const numeric = await cli(['worker'], { env: { APP_ID: 'dockhand' } });
    expect(numeric.stderr).toBe(
      'dockhand worker: APP_ID must be the GitHub App\'s numeric id (got "dockhand")\n',
    );
  });

  it('worker exits 2 on a Redis topology it cannot use, saying what to set', async () => {
    const cluster = await cli(['worker'], {
      env: { APP_ID: '1', DOCKHAND_REDIS_MODE: 'cluster', DOCKHAND_REDIS_NODES: '10.0.0.1:7000' },
    });
    expect(cluster.code).toBe(2);
    expect(cluster.stderr).toMatch(
      /^dockhand worker: DOCKHAND_QUEUE_PREFIX must carry a hash tag on a Redis Cluster \(got dockhand\): set DOCKHAND_QUEUE_PREFIX=\{dockhand\}/,
    );
    const sentinel = await cli(['worker'], {
      env: { APP_ID: '1', DOCKHAND_REDIS_MODE: 'sentinel', DOCKHAND_REDIS_SENTINELS: '10.0.0.1' },
    });
    expect(sentinel.code).toBe(2);
    expect(sentinel.stderr).toMatch(/^dockhand worker: DOCKHAND_REDIS_MASTER_NAME must name the primary/);
  });

  it('serve and worker take no arguments', async () => {
    for (const command of ['serve', 'worker']) {
      const { code, stderr } = await cli([command, 'extra']);
      expect(code).toBe(2);
      expect(stderr).toContain(`unexpected argument "extra" (${command} takes none)`);
    }
  });

  it('lists serve and worker in the help', async () => {
    const { stdout } = await cli(['--help']);
    expect(stdout).toContain('dockhand serve');
    expect(stdout).toContain('dockhand worker');
  });
});

describe('dockhand (real process)', () => {
  it('scans a directory and prints text with a summary', async () => {
    const { code, stdout, stderr } = await spawnCli(['scan', '.'], dir);
    expect(stderr).toBe('');
    expect([0, 1]).toContain(code);
    expect(stdout).toMatch(
      /(^|\n)3 files, 2 images, \d+ findings? \(\d+ errors?, \d+ warnings?, \d+ info\)\n$/,
    );
  });

  it('exits 2 on a bad flag', async () => {
    const { code, stderr } = await spawnCli(['scan', '--nope'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--nope'");
  });

  it('scans the project fixture tree to JSON, SARIF and text without crashing', async () => {
    await scanThreeWays(FIXTURES, 'fixtures', [...CONTAINER_MANAGERS, ...PACKAGE_MANAGERS]);
  });

  it.skipIf(!corpus)('scans the whole corpus to JSON, SARIF and text without crashing', async () => {
    // The container corpus holds no npm or Python manifests.
    await scanThreeWays(corpus!, 'corpus', CONTAINER_MANAGERS);
  });
});

const CONTAINER_MANAGERS = ['dockerfile', 'compose', 'kubernetes', 'helm-values', 'github-actions'];
const PACKAGE_MANAGERS = ['npm', 'pyproject', 'pipfile', 'pip-requirements'];

/** `dockhand scan` of a tree holding every manager and invalid Dockerfiles, in the three formats. */
async function scanThreeWays(tree: string, name: string, expected: string[]): Promise<void> {
  const json = await spawnCli(['scan', tree, '--format', 'json'], dir);
  expect(json.stderr).toBe('');
  expect([0, 1]).toContain(json.code);
  const report = JSON.parse(json.stdout);
  expect(new Set(report.files.map((file: { manager: string }) => file.manager))).toEqual(new Set(expected));
  expect(report.findings.some((finding: { rule: string }) => finding.rule === 'DH000')).toBe(true);
  const sarif = await spawnCli(
    ['scan', tree, '--format', 'sarif', '--output', join(dir, `${name}.sarif`)],
    dir,
  );
  expect(sarif.code).toBe(json.code);
  expect(JSON.parse(await readFile(join(dir, `${name}.sarif`), 'utf8')).runs[0].results).toHaveLength(
    report.findings.length,
  );
  const text = await spawnCli(['scan', tree], dir);
  expect(text.code).toBe(json.code);
  expect(text.stdout).toContain(`${report.files.length} files`);
}

describe('dockhand serve and worker (real process)', () => {
  /** The executable with only `env` (and PATH, HOME) in its environment. */
  function start(args: string[], env: Record<string, string>) {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return { child, output: () => output };
  }

  it('worker exits 2 with a clear message when the app is not configured', async () => {
    const { child, output } = start(['worker'], {});
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(output()).toBe('dockhand worker: APP_ID is not set\n');
  });

  it('serve: signed pull_request → a check-run job; a bad signature → 400 and nothing queued; redelivery → once', async () => {
    const redis = await startRedis();
    const prefix = redis.prefix.slice(0, -1);
    const connection = new Redis(redis.url);
    const queues = createQueues({ connection, prefix });
    const secret = 'serve-test-secret';
    const port = await freePort();
    const { child, output } = start(['serve'], {
      APP_ID: '123',
      PRIVATE_KEY: generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey,
      WEBHOOK_SECRET: secret,
      REDIS_URL: redis.url,
      DOCKHAND_QUEUE_PREFIX: prefix,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_FORMAT: 'json',
      NO_SMEE_SETUP: 'true',
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 20_000;
      while (!output().includes('Listening on')) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`serve did not start:\n${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const payload = {
        action: 'opened',
        installation: { id: 7 },
        repository: { full_name: 'acme/web', name: 'web', default_branch: 'main', owner: { login: 'acme' } },
        sender: { login: 'mallory', type: 'User' },
        pull_request: {
          number: 12,
          head: { ref: 'feature', sha: 'f'.repeat(40), repo: { full_name: 'mallory/web' } },
        },
      };
      expect(await sendWebhook(url, secret, 'pull_request', payload, { signWith: 'wrong-secret' })).toBe(400);
      expect(await sendWebhook(url, secret, 'pull_request', payload, { signature: null })).toBe(400);
      expect(await queues.repo.getJobCounts('waiting')).toEqual({ waiting: 0 });

      expect(await sendWebhook(url, secret, 'pull_request', payload, { deliveryId: 'delivery-1' })).toBe(200);
      expect(await sendWebhook(url, secret, 'pull_request', payload, { deliveryId: 'delivery-1' })).toBe(200);
      expect((await queues.repo.getWaiting()).map((job) => job.data)).toEqual([
        {
          installationId: 7,
          repository: 'acme/web',
          reason: 'pull-request',
          number: 12,
          headSha: 'f'.repeat(40),
        },
      ]);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('dockhand_webhooks_total{event="pull_request",outcome="duplicate"} 1');
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
      await queues.close();
      connection.disconnect();
      await redis.stop();
    }
  });
});
