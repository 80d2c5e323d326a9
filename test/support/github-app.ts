// The GitHub App's processes as the end-to-end tests run them: the webhook server (appFromEnv behind
// probot's middleware on a loopback port, GitHub's API being the fake GitHub) and `dockhand worker`'s
// runWorker in this process, each reading the environment it is given; the operator's configuration that
// makes a real registry Docker Hub's mirror; and waiting for the queues to drain.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import { createNodeMiddleware, Probot } from 'probot';
import { appFromEnv } from '../../src/app/index.js';
import { runWorker } from '../../src/worker/main.js';
import { until } from '../queue/helpers.js';
import { TEST_PRIVATE_KEY } from './app-key.js';

export interface AppServer {
  url: string;
  stop(): Promise<void>;
}

/** The webhook server on 127.0.0.1 with the queues' environment `env`; resolves once /readyz says 200. */
export async function startAppServer(
  env: NodeJS.ProcessEnv,
  options: { secret: string; githubUrl: string },
): Promise<AppServer> {
  const probot = new Probot({
    appId: 1,
    privateKey: TEST_PRIVATE_KEY,
    secret: options.secret,
    baseUrl: `${options.githubUrl}/api/v3`,
    // The rejected signature is logged by probot with its whole error chain; nothing else is expected.
    logLevel: 'fatal',
  });
  const middleware = await createNodeMiddleware(appFromEnv(undefined, env), { probot });
  const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await until(async () => (await fetch(`${url}/readyz`)).status === 200, 'the app to be ready');
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface InProcessWorker {
  /** SIGTERM: resolves with runWorker's exit code once its active jobs are done. */
  stop(): Promise<number>;
}

export function startInProcessWorker(env: NodeJS.ProcessEnv): InProcessWorker {
  const signals = new EventEmitter();
  const exited = runWorker({
    stderr: { write: () => true },
    env,
    signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'removeListener'>,
    exit: () => undefined,
  });
  return {
    stop: () => {
      signals.emit('SIGTERM');
      return exited;
    },
  };
}

/** What every worker of the end-to-end tests reads besides the Redis settings and its prefix. */
export function workerBaseEnv(options: { githubHost: string; operatorConfig: string }): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    APP_ID: '1',
    PRIVATE_KEY: TEST_PRIVATE_KEY,
    GHE_HOST: options.githubHost,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'warn',
    DOCKHAND_CONCURRENCY: '2',
    DOCKHAND_WRITE_SPACING_MS: '0',
    DOCKHAND_OPERATOR_CONFIG: options.operatorConfig,
  };
}

/** The operator's configuration naming `registryUrl` as Docker Hub's mirror; `remove` deletes it. */
export async function writeOperatorConfig(
  registryUrl: string,
): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dockhand-e2e-'));
  const path = join(dir, 'operator.yml');
  await writeFile(path, `registries:\n  - host: docker.io\n    mirror: ${registryUrl}\n`);
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Every job of the queues done (none waiting, delayed, active or prioritised; scheduler ticks aside). */
export async function settled(queues: Queue[], timeoutMs = 20_000): Promise<void> {
  let last = '';
  await until(
    async () => {
      for (const queue of queues) {
        // One atomic count of every unfinished state: a job moving between delayed and waiting while
        // two separate reads ran could be missed by both.
        const counts = await queue.getJobCounts(
          'wait',
          'active',
          'prioritized',
          'waiting-children',
          'delayed',
        );
        // The installation's job scheduler keeps its next tick delayed: that one is not pending work.
        const ticks = (await queue.getDelayed()).filter((job) => job.repeatJobKey).length;
        const pending = Object.values(counts).reduce((sum, count) => sum + count, 0) - ticks;
        last = `${queue.name} ${JSON.stringify({ ...counts, ticks })}`;
        if (pending > 0) return false;
      }
      return true;
    },
    'the queues to drain',
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message}: ${last}`);
  });
}
