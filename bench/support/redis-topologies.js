// The Redis topologies a benchmark can run on: test/support's real Redis Cluster and Sentinel starters
// (TypeScript, compiled at start), and each topology's Redis command counts from `INFO commandstats`.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ownDir } from './cleanup.js';

const run = promisify(execFile);

/**
 * Compiles test/support/redis-cluster.ts and redis-sentinel.ts; returns their starters. The output lies
 * under node_modules/.cache so that its `import … from 'ioredis'` finds the project's ioredis.
 */
export async function compileRedisStarters(root) {
  const cache = join(root, 'node_modules/.cache');
  await mkdir(cache, { recursive: true });
  const out = await mkdtemp(join(cache, 'dockhand-bench-redis-'));
  ownDir(out);
  const entries = ['test/support/redis-cluster.ts', 'test/support/redis-sentinel.ts'];
  await run(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '--ignoreConfig',
      ...entries.map((entry) => join(root, entry)),
      '--outDir',
      out,
      '--rootDir',
      root,
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2023',
      '--types',
      'node',
      '--typeRoots',
      join(root, 'node_modules/@types'),
      '--skipLibCheck',
    ],
    { cwd: root },
  ).catch((error) => {
    throw new Error(`compiling the Redis starters failed: ${error.stdout || error.message}`);
  });
  const load = (path) => import(pathToFileURL(join(out, path)).href);
  const [cluster, sentinel] = await Promise.all([
    load('test/support/redis-cluster.js'),
    load('test/support/redis-sentinel.js'),
  ]);
  return { startRedisCluster: cluster.startRedisCluster, startRedisSentinel: sentinel.startRedisSentinel };
}

/** Calls per command (`evalsha`, `get`, …) since the server started, from `INFO commandstats`. */
export async function commandCalls(client) {
  const info = await client.info('commandstats');
  const calls = new Map();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1], Number(match[2]));
  return calls;
}

/** `after − before` per command, summed over servers; commands that did not run are left out. */
export function callsBetween(befores, afters) {
  const delta = new Map();
  afters.forEach((after, index) => {
    for (const [command, calls] of after) {
      const ran = calls - (befores[index].get(command) ?? 0);
      if (ran > 0) delta.set(command, (delta.get(command) ?? 0) + ran);
    }
  });
  return delta;
}
