// A real CNCF distribution registry (Debian's `docker-registry`) for integration tests: started on a free
// loopback port with storage in a temp dir, images pushed with skopeo from OCI layouts the tests write.
// Anonymous, htpasswd (Basic) and token auth (with ./token-server.ts). Everything goes away on stop().
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { ACCEPT_ALL, writeOciLayout, type LayoutSpec, type OciLayout } from './oci-layout.js';
import { startTokenServer, type TokenServer, type TokenServerOptions } from './token-server.js';

const run = promisify(execFile);

export type RegistryAuth = 'none' | 'basic' | 'token';

export interface RegistryOptions {
  auth?: RegistryAuth;
  /** Credentials for Basic auth or the token endpoint. Defaults: `tester` / `s3cret-pass`. */
  username?: string;
  password?: string;
  /** Token server settings (token auth only). */
  token?: Pick<TokenServerOptions, 'expiresIn' | 'anonymousPull' | 'fields' | 'service' | 'issuer'>;
  /** How long to wait for `GET /v2/` to answer. Default 15 s. */
  startTimeoutMs?: number;
}

export interface TestRegistry {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, as it appears in image references. */
  host: string;
  auth: RegistryAuth;
  /** Temp dir holding config, storage, layouts and keys; removed by stop(). */
  dir: string;
  /** Set for Basic and token auth. */
  credentials?: { username: string; password: string };
  /** Set for token auth. */
  tokenServer?: TokenServer;
  /**
   * Copies a layout (or writes one from a spec first) to `host/name:tag` with `skopeo copy --all`; layouts
   * with Docker media types go through the registry API. Digests stay as written.
   */
  push(name: string, tag: string, image: OciLayout | LayoutSpec): Promise<OciLayout>;
  /** Puts the manifest `reference` (tag or digest) of `name` under more tags through the registry API. */
  tag(name: string, reference: string, tags: string[]): Promise<void>;
  /** Authorization header value with push rights, for direct API calls in tests (undefined when anonymous). */
  adminAuthorization(name: string): string | undefined;
  stop(): Promise<void>;
}

const PACKAGES: Record<string, string> = {
  'docker-registry': 'docker-registry',
  skopeo: 'skopeo',
  htpasswd: 'apache2-utils',
  openssl: 'openssl',
};

async function requireBinary(name: string): Promise<void> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      await access(join(dir, name), constants.X_OK);
      return;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    `${name} is not on PATH: install the Debian package ${PACKAGES[name] ?? name} (.ci/run does)`,
  );
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

interface Running {
  child: ChildProcess;
  url: string;
  host: string;
}

async function spawnRegistry(
  configFor: (port: number) => object,
  dir: string,
  timeoutMs: number,
): Promise<Running> {
  let lastError: Error | undefined;
  // A port found free can be taken before the registry binds it: try a few.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const configPath = join(dir, `config-${port}.yml`);
    // JSON is YAML: no quoting rules to get wrong.
    await writeFile(configPath, JSON.stringify(configFor(port), null, 2));
    const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = tail(child.stderr);
    child.stdout?.resume();
    let exited = false;
    child.once('exit', () => (exited = true));
    child.once('error', (error) => {
      exited = true;
      lastError = error;
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + timeoutMs;
    while (!exited && Date.now() < deadline) {
      try {
        const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200 || res.status === 401) return { child, url, host: `127.0.0.1:${port}` };
      } catch {
        // not listening yet
      }
      await sleep(20);
    }
    if (!exited) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not answer on ${url}/v2/ within ${timeoutMs} ms:\n${output()}`);
    }
    lastError = new Error(`docker-registry exited before answering:\n${output()}`);
    if (!/address already in use/.test(output())) break;
  }
  throw lastError ?? new Error('docker-registry did not start');
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

/** Replaces the password in a command line or its output, so failures can be shown without it. */
function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('***') : text;
}

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const auth = options.auth ?? 'none';
  await requireBinary('docker-registry');
  await requireBinary('skopeo');
  if (auth === 'basic') await requireBinary('htpasswd');
  if (auth === 'token') await requireBinary('openssl');

  const dir = await mkdtemp(join(tmpdir(), 'dockhand-registry-'));
  const credentials =
    auth === 'none'
      ? undefined
      : { username: options.username ?? 'tester', password: options.password ?? 's3cret-pass' };
  let tokenServer: TokenServer | undefined;
  let running: Running | undefined;

  // A test process that ends without calling stop() (a crash, a killed worker) takes the registry with it.
  const killOnExit = () => running?.child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const cleanup = async () => {
    process.off('exit', killOnExit);
    if (running) await stopChild(running.child);
    await tokenServer?.close();
    await rm(dir, { recursive: true, force: true });
  };

  try {
    let authConfig: object | undefined;
    if (auth === 'basic' && credentials) {
      const { stdout } = await run('htpasswd', ['-Bbn', credentials.username, credentials.password]);
      const htpasswdPath = join(dir, 'htpasswd');
      await writeFile(htpasswdPath, stdout);
      authConfig = { htpasswd: { realm: 'dockhand-test', path: htpasswdPath } };
    } else if (auth === 'token' && credentials) {
      tokenServer = await startTokenServer({ ...options.token, ...credentials, dir });
      authConfig = {
        token: {
          realm: tokenServer.realm,
          service: tokenServer.service,
          issuer: tokenServer.issuer,
          rootcertbundle: tokenServer.certPath,
        },
      };
    }
    const storage = join(dir, 'storage');
    await mkdir(storage);
    running = await spawnRegistry(
      (port) => ({
        version: '0.1',
        log: { level: 'error', accesslog: { disabled: true } },
        storage: { filesystem: { rootdirectory: storage }, delete: { enabled: true } },
        http: { addr: `127.0.0.1:${port}` },
        ...(authConfig ? { auth: authConfig } : {}),
      }),
      dir,
      options.startTimeoutMs ?? 15_000,
    );
  } catch (error) {
    await cleanup();
    throw error;
  }

  const { url, host } = running;
  const policyPath = join(dir, 'policy.json');
  await writeFile(policyPath, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  let layouts = 0;

  const adminAuthorization = (name: string): string | undefined => {
    if (!credentials) return undefined;
    if (tokenServer) return `Bearer ${tokenServer.mint([`repository:${name}:pull,push,delete`])}`;
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  };

  /** Uploads blobs and manifests through the registry API (skopeo cannot read Docker media types from an OCI layout). */
  const upload = async (name: string, tag: string, layout: OciLayout): Promise<void> => {
    const authorization = adminAuthorization(name);
    const headers: Record<string, string> = authorization ? { authorization } : {};
    const blobBytes = (digest: string) =>
      readFile(join(layout.dir, 'blobs', 'sha256', digest.slice('sha256:'.length)));
    const check = async (res: Response, what: string) => {
      await res.arrayBuffer();
      if (res.status !== 201 && res.status !== 202) throw new Error(`${what}: ${res.status}`);
      return res;
    };
    const putManifest = async (reference: string, digest: string, mediaType: string) =>
      check(
        await fetch(`${url}/v2/${name}/manifests/${reference}`, {
          method: 'PUT',
          headers: { ...headers, 'content-type': mediaType },
          body: await blobBytes(digest),
        }),
        `PUT manifest ${name}:${reference}`,
      );
    for (const image of layout.images) {
      for (const digest of [image.layerDigest, image.configDigest]) {
        const started = await check(
          await fetch(`${url}/v2/${name}/blobs/uploads/`, { method: 'POST', headers }),
          `start upload to ${name}`,
        );
        const location = new URL(started.headers.get('location') ?? '', url);
        location.searchParams.set('digest', digest);
        await check(
          await fetch(location, {
            method: 'PUT',
            headers: { ...headers, 'content-type': 'application/octet-stream' },
            body: await blobBytes(digest),
          }),
          `upload ${digest} to ${name}`,
        );
      }
      await putManifest(image.digest, image.digest, image.mediaType);
    }
    await putManifest(tag, layout.digest, layout.mediaType);
  };

  const copy = async (name: string, tag: string, layout: OciLayout): Promise<void> => {
    const args = [
      '--policy',
      policyPath,
      'copy',
      '--quiet',
      '--all',
      '--preserve-digests',
      '--dest-tls-verify=false',
      ...(credentials
        ? ['--dest-creds', `${credentials.username}:${credentials.password}`]
        : ['--dest-no-creds']),
      `oci:${layout.dir}:${layout.ref}`,
      `docker://${host}/${name}:${tag}`,
    ];
    try {
      await run('skopeo', args, { env: { ...process.env, REGISTRY_AUTH_FILE: join(dir, 'auth.json') } });
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? error);
      const secret = credentials?.password;
      // No `cause`: the original error's message holds the command line with the password.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`skopeo ${redact(args.join(' '), secret)} failed: ${redact(stderr, secret)}`);
    }
  };

  const push = async (name: string, tag: string, image: OciLayout | LayoutSpec): Promise<OciLayout> => {
    const layout =
      'dir' in image ? image : await writeOciLayout(join(dir, 'layouts', String((layouts += 1))), image);
    if (layout.mediaType.startsWith('application/vnd.docker.')) await upload(name, tag, layout);
    else await copy(name, tag, layout);
    return layout;
  };

  const tag = async (name: string, reference: string, tags: string[]): Promise<void> => {
    const authorization = adminAuthorization(name);
    const headers: Record<string, string> = authorization ? { authorization } : {};
    const res = await fetch(`${url}/v2/${name}/manifests/${reference}`, {
      headers: { ...headers, accept: ACCEPT_ALL },
    });
    if (!res.ok) throw new Error(`GET manifest ${name}:${reference}: ${res.status}`);
    const body = Buffer.from(await res.arrayBuffer());
    const contentType = res.headers.get('content-type') ?? '';
    // The registry handles parallel PUTs well; a bounded number keeps sockets in check.
    const queue = [...tags];
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const put = await fetch(`${url}/v2/${name}/manifests/${next}`, {
          method: 'PUT',
          headers: { ...headers, 'content-type': contentType },
          body,
        });
        await put.arrayBuffer();
        if (put.status !== 201) throw new Error(`PUT manifest ${name}:${next}: ${put.status}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  };

  let stopped: Promise<void> | undefined;
  return {
    url,
    host,
    auth,
    dir,
    credentials,
    tokenServer,
    push,
    tag,
    adminAuthorization,
    stop: () => (stopped ??= cleanup()),
  };
}
