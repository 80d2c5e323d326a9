// What the crawl benchmark runs against: the test suite's fake GitHub and registry helper (TypeScript,
// compiled into a temp dir at start), a counting proxy in front of the registry, and `dockhand worker`
// child processes.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ownChild, ownDir } from './cleanup.js';

const run = promisify(execFile);

/** Compiles test/support's fake GitHub and registry helper; returns their modules. */
export async function compileTestSupport(root) {
  const out = await mkdtemp(join(tmpdir(), 'dockhand-bench-support-'));
  ownDir(out);
  const entries = ['test/support/fake-github/index.ts', 'test/support/registry.ts'];
  const flags = ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023'];
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
      ...flags,
      '--types',
      'node',
      '--typeRoots',
      join(root, 'node_modules/@types'),
      '--skipLibCheck',
    ],
    { cwd: root },
  ).catch((error) => {
    throw new Error(`compiling test/support failed: ${error.stdout || error.message}`);
  });
  const load = (path) => import(pathToFileURL(join(out, path)).href);
  const [fakeGitHub, registry] = await Promise.all([
    load('test/support/fake-github/index.js'),
    load('test/support/registry.js'),
  ]);
  return { startFakeGitHub: fakeGitHub.startFakeGitHub, startRegistry: registry.startRegistry };
}

/** The registry API request's kind, by method and path. */
function kindOf(method, path) {
  if (/\/tags\/list(\?|$)/.test(path)) return 'tags';
  if (/\/manifests\//.test(path)) return method === 'HEAD' ? 'HEAD manifest' : 'GET manifest';
  if (/\/blobs\//.test(path)) return 'GET blob';
  return 'other';
}

/**
 * A plain HTTP proxy to `target` that counts what passes through by kind (`counts`, reset by `reset()`).
 * Configured as the mirror, it sees every request the workers make to the registry.
 */
export async function startCountingProxy(target) {
  const upstream = new URL(target);
  let counts = {};
  const server = createServer((req, res) => {
    const kind = kindOf(req.method ?? 'GET', req.url ?? '/');
    counts[kind] = (counts[kind] ?? 0) + 1;
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counts: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Starts `dockhand worker` as a child process with `env`; resolves once it logs that it is ready.
 * Returns `{ pid, stop, output }` (output: the last lines it wrote, for error messages).
 */
export async function startWorkerProcess(root, env) {
  const child = spawn(process.execPath, [join(root, 'bin/dockhand.js'), 'worker'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = ownChild(child);
  let output = '';
  let ready;
  const isReady = new Promise((resolve) => (ready = resolve));
  const keep = (chunk) => {
    output = (output + chunk).slice(-8000);
    if (output.includes('worker ready')) ready();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 30_000).unref());
  const first = await Promise.race([isReady.then(() => 'ready'), exited, timeout]);
  if (first !== 'ready') {
    await stop();
    throw new Error(`dockhand worker did not start (${first}):\n${output}`);
  }
  return { pid: child.pid, stop, output: () => output };
}
