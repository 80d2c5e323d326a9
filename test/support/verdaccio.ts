// A real npm registry (verdaccio, a devDependency) for integration tests: started on a free loopback port
// with a temp config and storage, no uplinks (nothing leaves the machine), anyone may publish. Packages
// are built in temp dirs and published with the real npm client; everything goes away on stop().
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);
const VERDACCIO = fileURLToPath(new URL('../../node_modules/verdaccio/bin/verdaccio', import.meta.url));

export interface PackageVersion {
  name: string;
  version: string;
  /** Dist-tag given at publish (`npm publish --tag`); npm's default is `latest`. */
  tag?: string;
  /** Extra package.json fields (`engines`, `homepage`, `repository`, `scripts`…). */
  fields?: Record<string, unknown>;
}

export interface TestNpmRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** `127.0.0.1:<port>` */
  host: string;
  /** Temp dir holding config, storage, package sources and npm's cache; removed by stop(). */
  dir: string;
  /** Publishes each version in turn with `npm publish` (same package versions must go in order). */
  publish(...versions: PackageVersion[]): Promise<void>;
  /** `npm deprecate <spec> <message>` (`name@version` or a range). */
  deprecate(spec: string, message: string): Promise<void>;
  /** `npm dist-tag add <name>@<version> <tag>`. */
  distTag(name: string, version: string, tag: string): Promise<void>;
  stop(): Promise<void>;
}

export interface VerdaccioOptions {
  /** How long to wait for `GET /-/ping` to answer. Default 30 s (verdaccio loads slowly on 2 cores). */
  startTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps the last few KB of a stream, for error messages. */
function tail(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-4000);
  });
  return () => text;
}

/** The environment without the calling npm's settings (`npm test` exports its registry, cache…). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

function config(dir: string, port: number): object {
  const everyone = { access: '$all', publish: '$all', unpublish: '$all' };
  return {
    storage: join(dir, 'storage'),
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: -1 } },
    uplinks: {},
    packages: { '@*/*': everyone, '**': everyone },
    web: { enable: false },
    log: { type: 'stdout', format: 'pretty', level: 'warn' },
    listen: `127.0.0.1:${port}`,
  };
}

interface Running {
  child: ChildProcess;
  port: number;
}

async function spawnVerdaccio(dir: string, timeoutMs: number): Promise<Running> {
  let lastError: Error | undefined;
  // A port found free can be taken before verdaccio binds it: try a few.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const configPath = join(dir, `config-${port}.json`);
    await writeFile(configPath, JSON.stringify(config(dir, port), null, 2));
    // process.execPath: the project's Node 24 inside vitest, whatever `node` is first on PATH.
    const child = spawn(process.execPath, [VERDACCIO, '--config', configPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnv({}),
    });
    const stderr = tail(child.stderr);
    const stdout = tail(child.stdout);
    const output = () => `${stderr()}\n${stdout()}`.trim();
    let exited = false;
    child.once('exit', () => (exited = true));
    child.once('error', (error) => {
      exited = true;
      lastError = error;
    });
    const ping = `http://127.0.0.1:${port}/-/ping`;
    const deadline = Date.now() + timeoutMs;
    while (!exited && Date.now() < deadline) {
      try {
        const res = await fetch(ping, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200) return { child, port };
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    if (!exited) {
      child.kill('SIGKILL');
      throw new Error(`verdaccio did not answer on ${ping} within ${timeoutMs} ms:\n${output()}`);
    }
    lastError = new Error(`verdaccio exited before answering:\n${output()}`);
    if (!/EADDRINUSE|address already in use/.test(output())) break;
  }
  throw lastError ?? new Error('verdaccio did not start');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startVerdaccio(options: VerdaccioOptions = {}): Promise<TestNpmRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'dockhand-verdaccio-'));
  let running: Running | undefined;
  // A test process that ends without calling stop() takes the registry with it.
  const killOnExit = () => running?.child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const cleanup = async () => {
    process.off('exit', killOnExit);
    if (running) await stopChild(running.child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await mkdir(join(dir, 'storage'));
    running = await spawnVerdaccio(dir, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await cleanup();
    throw error;
  }
  const host = `127.0.0.1:${running.port}`;
  const url = `http://${host}/`;
  // npm refuses to publish without a token; verdaccio lets anyone publish, so any token will do.
  const userconfig = join(dir, 'npmrc');
  await writeFile(userconfig, `registry=${url}\n//${host}/:_authToken=test-token-not-a-secret\n`);
  const env = cleanEnv({
    npm_config_userconfig: userconfig,
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  });
  const npm = async (args: string[], cwd = dir) => {
    try {
      await run('npm', [...args, '--registry', url], { cwd, env, timeout: 60_000 });
    } catch (error) {
      const { stderr, message } = error as { stderr?: string; message: string };
      throw new Error(`npm ${args.join(' ')} failed: ${stderr || message}`, { cause: error });
    }
  };
  let sources = 0;
  let stopped: Promise<void> | undefined;
  return {
    url,
    host,
    dir,
    async publish(...versions) {
      for (const { name, version, tag, fields } of versions) {
        const source = join(dir, `src-${sources++}`);
        await mkdir(source);
        await writeFile(join(source, 'package.json'), JSON.stringify({ name, version, ...fields }, null, 2));
        await writeFile(join(source, 'index.js'), `module.exports = ${JSON.stringify(version)};\n`);
        await npm(['publish', '--ignore-scripts', ...(tag ? ['--tag', tag] : [])], source);
      }
    },
    deprecate: (spec, message) => npm(['deprecate', spec, message]),
    distTag: (name, version, tag) => npm(['dist-tag', 'add', `${name}@${version}`, tag]),
    stop: () => (stopped ??= cleanup()),
  };
}
