// A real CNCF registry (Debian's `docker-registry`) with token auth for the registry benchmark: a small
// token server (RS256 JWTs whose x5c header carries a self-signed certificate the registry trusts),
// skopeo pushes from OCI layouts, extra tags through the registry API. Everything lives in one temp dir.
/* global fetch, AbortSignal -- Node's own */
import { Buffer } from 'node:buffer';
import { execFile, spawn } from 'node:child_process';
import { X509Certificate, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, ownChild, ownDir, waitFor } from './cleanup.js';

const run = promisify(execFile);
const SERVICE = 'dockhand-bench-registry';
const ISSUER = 'dockhand-bench-issuer';
const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

const b64url = (value) => Buffer.from(value).toString('base64url');

async function startTokenServer(dir, { username, password }) {
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  const subject = `/CN=${ISSUER}`;
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    subject,
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  const key = createPrivateKey(await readFile(keyPath));
  const x5c = new X509Certificate(await readFile(certPath)).raw.toString('base64');
  // `repository:team/app:pull,push` → { type, name, actions }; names have no `:`.
  const access = (scope) => {
    const [type, ...rest] = scope.split(':');
    const actions = rest.pop() ?? '';
    return { type, name: rest.join(':'), actions: actions.split(',') };
  };
  const mint = (scopes) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: ISSUER,
      sub: username,
      aud: SERVICE,
      exp: now + 600,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access: scopes.map(access),
    };
    const header = { typ: 'JWT', alg: 'RS256', x5c: [x5c] };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
  };
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ').filter(Boolean));
    const ok = url.pathname === '/token' && req.headers.authorization === expected;
    requests.push({ scopes, granted: ok });
    if (!ok) return res.writeHead(401).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: mint(scopes), expires_in: 600, issued_at: new Date().toISOString() }));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    realm: `http://127.0.0.1:${server.address().port}/token`,
    certPath,
    requests,
    mint,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function spawnRegistry(dir, realm, certPath) {
  let lastError;
  // A port found free can be taken before the registry binds it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = join(dir, `config-${port}.yml`);
    // JSON is YAML.
    await writeFile(
      config,
      JSON.stringify({
        version: '0.1',
        log: { level: 'error', accesslog: { disabled: true } },
        storage: { filesystem: { rootdirectory: join(dir, 'storage') } },
        http: { addr: `127.0.0.1:${port}` },
        auth: { token: { realm, service: SERVICE, issuer: ISSUER, rootcertbundle: certPath } },
      }),
    );
    const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    const stop = ownChild(child);
    let output = '';
    child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
    let gone = false;
    child.once('exit', () => (gone = true));
    child.once('error', (error) => {
      gone = true;
      output += String(error);
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(
        () =>
          fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) }).then(
            (res) => res.status === 401,
            () => false,
          ),
        () => gone,
        15_000,
        'docker-registry',
      );
      return { url, host: `127.0.0.1:${port}`, stop };
    } catch (error) {
      await stop();
      lastError = new Error(`${error.message}:\n${output}`);
      if (!/address already in use/.test(output)) break;
    }
  }
  throw lastError;
}

/**
 * Starts a token-auth registry on a free loopback port. `push` copies an OCI layout (from ./oci-layout.js)
 * with skopeo; `tag` puts an existing tag's manifest under more tags; `tokenRequests` are the token
 * server's requests (an independent count of what the client asked for).
 */
export async function startTokenRegistry(credentials) {
  const dir = await mkdtemp(join(tmpdir(), 'dockhand-bench-registry-'));
  const removeDir = ownDir(dir);
  let tokens;
  let registry;
  const stop = async () => {
    await registry?.stop();
    await tokens?.close();
    removeDir();
  };
  try {
    tokens = await startTokenServer(dir, credentials);
    registry = await spawnRegistry(dir, tokens.realm, tokens.certPath);
  } catch (error) {
    await stop();
    throw error;
  }
  const { url, host } = registry;
  const policy = join(dir, 'policy.json');
  const authFile = join(dir, 'auth.json');
  await writeFile(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  await writeFile(authFile, JSON.stringify({ auths: { [host]: { auth } } }));

  const push = async (name, tag, layout) => {
    const args = [
      '--policy',
      policy,
      'copy',
      '--quiet',
      '--all',
      '--preserve-digests',
      '--dest-tls-verify=false',
      '--dest-authfile',
      authFile,
      `oci:${layout.dir}:${layout.ref}`,
      `docker://${host}/${name}:${tag}`,
    ];
    await run('skopeo', args).catch((error) => {
      throw new Error(`skopeo push of ${name}:${tag} failed: ${error.stderr ?? error.message}`);
    });
  };

  const tag = async (name, from, to) => {
    const authorization = `Bearer ${tokens.mint([`repository:${name}:pull,push`])}`;
    const res = await fetch(`${url}/v2/${name}/manifests/${from}`, {
      headers: { authorization, accept: ACCEPT },
    });
    if (!res.ok) throw new Error(`GET ${name}:${from}: ${res.status}`);
    const body = Buffer.from(await res.arrayBuffer());
    for (const next of to) {
      const put = await fetch(`${url}/v2/${name}/manifests/${next}`, {
        method: 'PUT',
        headers: { authorization, 'content-type': res.headers.get('content-type') },
        body,
      });
      await put.arrayBuffer();
      if (put.status !== 201) throw new Error(`PUT ${name}:${next}: ${put.status}`);
    }
  };

  return { url, host, dir, push, tag, tokenRequests: tokens.requests, stop };
}
