// TLS for the test Redis servers: a throwaway CA and a server certificate it signs (for 127.0.0.1 and
// localhost), made with `openssl` in a temp dir, and a standalone `redis-server` that speaks only TLS
// (`--port 0 --tls-port <port>`). The Cluster and Sentinel helpers take the same files (their `tls`
// option). Clients trust the CA the way an operator's Dockhand does: NODE_EXTRA_CA_CERTS=<ca file>.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NO_PERSISTENCE, startRedisProcess } from './redis-process.js';

const run = promisify(execFile);

export interface TlsFiles {
  /** The CA's certificate (PEM): what NODE_EXTRA_CA_CERTS names. */
  caFile: string;
  /** Its contents. */
  ca: string;
  certFile: string;
  keyFile: string;
  /** Removes the directory. */
  remove(): Promise<void>;
}

/** A CA and a server certificate for 127.0.0.1 and localhost, valid for a day. */
export async function makeTlsFiles(): Promise<TlsFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'dockhand-redis-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) =>
    run('openssl', args).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`openssl ${args[0]} failed: ${error.stderr || error.message}`);
    });
  try {
    await openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.crt'),
      '-days',
      '1',
      '-subj',
      '/CN=Dockhand test Redis CA',
    );
    await openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      file('server.key'),
      '-out',
      file('server.csr'),
      '-subj',
      '/CN=localhost',
    );
    await writeFile(
      file('server.ext'),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' +
        // Cluster nodes and sentinels also connect to each other with it.
        'extendedKeyUsage=serverAuth,clientAuth\n',
    );
    await openssl(
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-out',
      file('server.crt'),
      '-days',
      '1',
      '-extfile',
      file('server.ext'),
    );
    return {
      caFile: file('ca.crt'),
      ca: await readFile(file('ca.crt'), 'utf8'),
      certFile: file('server.crt'),
      keyFile: file('server.key'),
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** `redis-server` arguments: only TLS, on `port`, with these files (clients need no certificate). */
export function tlsServerArgs(files: TlsFiles, port: number): string[] {
  return [
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--tls-cert-file',
    files.certFile,
    '--tls-key-file',
    files.keyFile,
    '--tls-ca-cert-file',
    files.caFile,
    '--tls-auth-clients',
    'no',
  ];
}

export interface TestTlsRedis {
  port: number;
  /** `rediss://127.0.0.1:<port>` (without the password). */
  url: string;
  stop(): Promise<void>;
}

/** A standalone server speaking only TLS, with `requirepass` when given a password. */
export async function startTlsRedis(files: TlsFiles, password?: string): Promise<TestTlsRedis> {
  const server = await startRedisProcess({
    tlsCa: files.ca,
    args: (port, dir) => [
      ...tlsServerArgs(files, port),
      '--bind',
      '127.0.0.1',
      ...NO_PERSISTENCE,
      '--dir',
      dir,
      ...(password ? ['--requirepass', password] : []),
    ],
  });
  return { port: server.port, url: `rediss://127.0.0.1:${server.port}`, stop: server.stop };
}
