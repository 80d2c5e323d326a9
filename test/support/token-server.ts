// A small token server for the distribution registry's `auth.token` mode: checks Basic credentials at the
// token endpoint, issues RS256 JWTs whose `x5c` header carries a self-signed certificate the registry
// trusts (its `rootcertbundle`), and records every request so tests can count them.
import { execFile } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TokenServerOptions {
  /** Directory for the key and certificate (the caller removes it). */
  dir: string;
  username: string;
  password: string;
  service?: string;
  issuer?: string;
  /** Seconds a token lives; also sent as `expires_in`. Default 300. */
  expiresIn?: number;
  /** Give tokens with `pull` only to requests without credentials. Default false (401). */
  anonymousPull?: boolean;
  /** Which fields carry the token in the response. Default both. */
  fields?: 'both' | 'token' | 'access_token';
}

export interface TokenRequest {
  service: string | null;
  /** Scopes as requested, e.g. `repository:library/app:pull`. */
  scopes: string[];
  /** The user that authenticated, or null for an anonymous request. */
  account: string | null;
  /** Whether a token was issued (false: 401). */
  granted: boolean;
}

export interface TokenServer {
  /** `realm` for the registry config and its challenges. */
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate for the registry's `rootcertbundle`. */
  certPath: string;
  /** Every request to the token endpoint, in order (tokens minted with `mint` are not recorded). */
  requests: TokenRequest[];
  /** Every token handed out over HTTP, so tests can check none leaks into logs or errors. */
  issued: string[];
  /** A token for `scopes` as the configured user, without going through HTTP (test setup, pushes). */
  mint(scopes: string[]): string;
  close(): Promise<void>;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

function base64url(value: Buffer | string): string {
  return Buffer.from(value).toString('base64url');
}

/** `repository:library/app:pull,push` → access entry; the name may not contain `:` but the type may have `(class)`. */
function parseScope(scope: string): Access | null {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return null;
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter((a) => a !== '');
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions };
}

function basicUser(req: IncomingMessage): { user: string; password: string } | null {
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function keyAndCert(dir: string, issuer: string) {
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      `/CN=${issuer}`,
    ]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? 'openssl is not installed (needed to make the token server certificate)'
        : `openssl failed: ${String((error as { stderr?: string }).stderr ?? error)}`,
      { cause: error },
    );
  }
  const key = createPrivateKey(await readFile(keyPath));
  const x5c = new X509Certificate(await readFile(certPath)).raw.toString('base64');
  return { key, x5c, certPath };
}

function jwt(key: KeyObject, x5c: string, claims: Record<string, unknown>): string {
  const input = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [x5c] }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${base64url(sign('sha256', Buffer.from(input), key))}`;
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const serviceName = options.service ?? 'dockhand-test-registry';
  const issuer = options.issuer ?? 'dockhand-test-issuer';
  const expiresIn = options.expiresIn ?? 300;
  const fields = options.fields ?? 'both';
  const { key, x5c, certPath } = await keyAndCert(options.dir, issuer);
  const requests: TokenRequest[] = [];
  const issued: string[] = [];

  const issue = (account: string, scopes: string[], pullOnly: boolean): string => {
    const now = Math.floor(Date.now() / 1000);
    const access = scopes
      .map(parseScope)
      .filter((a): a is Access => a !== null)
      .map((a) => (pullOnly ? { ...a, actions: a.actions.filter((x) => x === 'pull') } : a));
    return jwt(key, x5c, {
      iss: issuer,
      sub: account,
      aud: serviceName,
      exp: now + expiresIn,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ').filter((x) => x !== ''));
    const service = url.searchParams.get('service');
    const creds = basicUser(req);
    const valid = creds !== null && creds.user === options.username && creds.password === options.password;
    const anonymous = creds === null && options.anonymousPull === true;
    // A token for another service is refused, as real token servers do.
    const granted = service === serviceName && (valid || anonymous);
    requests.push({ service, scopes, account: valid ? options.username : null, granted });
    if (!granted) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    const token = issue(valid ? options.username : '', scopes, !valid);
    issued.push(token);
    const body: Record<string, unknown> = { expires_in: expiresIn, issued_at: new Date().toISOString() };
    if (fields !== 'access_token') body.token = token;
    if (fields !== 'token') body.access_token = token;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    realm: `http://127.0.0.1:${port}/token`,
    service: serviceName,
    issuer,
    certPath,
    requests,
    issued,
    mint: (scopes) => issue(options.username, scopes, false),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
