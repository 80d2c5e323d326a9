// A `dockhand worker` process against a registry that floods its tag lists: 2 million new tags on every
// page, each page linking to the next, for six images of one repository. The deploy manifests give a
// worker 512 MiB; its peak RSS (VmHWM, read from /proc) must stay well within that, and each image must
// be reported as capped while the job completes. Real Redis, the fake GitHub (reached as GHES), the
// worker as a child process with the operator's config allowing the flooding host.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullEnqueuer, createQueues } from '../../src/queue/queues.js';
import { latestResults } from '../../src/results/store.js';
import { json, startServer, type FakeServer } from '../datasources/docker/fake-registry.js';
import { until } from '../queue/helpers.js';
import { TEST_PRIVATE_KEY } from '../support/app-key.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { startRedis, type TestRedis } from '../support/redis.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INSTALLATION = 515;
const WORKER_MEMORY_LIMIT = 512 * 1024 * 1024; // deploy/kubernetes/worker.yaml
const TAGS_PER_PAGE = 2_000_000;
const IMAGES = 6;

let redis: TestRedis;
let gh: FakeGitHub;
let flood: FakeServer;
let workDir: string;

/** One page: 2 million tags never seen before, linking to the next page. Written in chunks. */
function floodPage(res: ServerResponse, url: URL): void {
  const page = Number(url.searchParams.get('page') ?? '0');
  res.writeHead(200, {
    'content-type': 'application/json',
    link: `<${url.pathname}?page=${page + 1}>; rel="next"`,
  });
  let i = 0;
  res.write('{"tags":[');
  const more = (): void => {
    while (i < TAGS_PER_PAGE) {
      const chunk: string[] = [];
      for (let n = 0; n < 10_000 && i < TAGS_PER_PAGE; n++, i++) chunk.push(`"p${page}-tag-${i}"`);
      const ok = res.write((i > 10_000 ? ',' : '') + chunk.join(','));
      if (!ok) return void res.once('drain', more);
    }
    res.end(']}');
  };
  res.on('error', () => undefined);
  more();
}

beforeAll(async () => {
  [redis, gh] = await Promise.all([startRedis(), startFakeGitHub()]);
  flood = await startServer((req, res, url) => {
    if (url.pathname.endsWith('/tags/list')) return floodPage(res, url);
    json(res, { errors: [] }, {}, 404);
  });
  gh.state.addInstallation({ id: INSTALLATION, account: 'flooded' });
  const lines = Array.from({ length: IMAGES }, (_, i) => `FROM ${flood.host}/img${i}:1.0 AS s${i}`);
  gh.state.createRepo('flooded', 'app', { files: { Dockerfile: `${lines.join('\n')}\nUSER app\n` } });
  workDir = await mkdtemp(join(tmpdir(), 'dockhand-flood-'));
  await writeFile(join(workDir, 'operator.yml'), `network:\n  allow: ['${flood.host}']\n`);
}, 60_000);
afterAll(async () => {
  await flood?.close();
  await gh?.stop();
  await redis?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Peak resident set size of a live process, in bytes. */
async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)![1]) * 1024;
}

describe('a worker against a registry flooding tag lists', () => {
  it('stays within its 512 MiB, reports the cap on each image and completes the job', async () => {
    const prefix = redis.prefix.replace(/:$/, '');
    const child: ChildProcess = spawn(process.execPath, [`${ROOT}/bin/dockhand.js`, 'worker'], {
      env: {
        PATH: process.env.PATH,
        REDIS_URL: redis.url,
        DOCKHAND_QUEUE_PREFIX: prefix,
        APP_ID: '1',
        PRIVATE_KEY: TEST_PRIVATE_KEY,
        GHE_HOST: gh.host,
        GHE_PROTOCOL: 'http',
        LOG_LEVEL: 'warn',
        DOCKHAND_WRITE_SPACING_MS: '0',
        DOCKHAND_OPERATOR_CONFIG: join(workDir, 'operator.yml'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (c: Buffer) => (output += c));
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queues = createQueues({ connection, prefix });
    try {
      await new BullEnqueuer(queues).enqueueRepo({
        installationId: INSTALLATION,
        repository: 'flooded/app',
        reason: 'repositories-added',
      });
      const result = await until(
        async () => (await latestResults(connection, prefix, INSTALLATION))[0],
        'the repository job to finish',
        60_000,
      );
      const peak = await peakRss(child.pid!);
      console.log(`worker peak RSS under the flood: ${(peak / 2 ** 20).toFixed(0)} MiB`);
      expect(peak).toBeLessThan(WORKER_MEMORY_LIMIT);
      expect(result.outcome).toBe('ok');
      const capped = result.errors.filter((e) => /over \d+ (tags|bytes); not looked up/.test(e));
      expect(capped).toHaveLength(IMAGES);
    } finally {
      child.kill('SIGKILL');
      await queues.close();
      connection.disconnect();
    }
    expect(output).not.toContain('FATAL');
  }, 120_000);
});
