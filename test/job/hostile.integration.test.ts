// A hostile repository through the repository job (fake GitHub, real HTTP servers on loopback): its
// config cannot choose credentials or hosts, its image references cannot reach internal addresses, and a
// stalling registry cannot hold the job. The "attacker" registry is allowed by the operator's network
// policy, standing in for a host on the internet, so that what it receives can be checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';
import { operatorSettings, type OperatorConfig } from '../../src/config/operator.js';
import { runRepositoryJob } from '../../src/job/run.js';
import type { RepoResult } from '../../src/job/types.js';
import { json, startServer, type FakeServer } from '../datasources/docker/fake-registry.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { jobPlatform } from '../support/job-platform.js';

const INSTALLATION = 9;
/** What a worker's environment holds: the attack asks for these by name. */
const WORKER_ENV = { APP_ID: '4242', PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nMIIEsecret' };

let gh: FakeGitHub;
let attacker: FakeServer;
let internal: FakeServer;

beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
  // Asks for Basic credentials, as a registry would, and records whatever comes.
  attacker = await startServer((req, res) => {
    if (!req.headers.authorization)
      return void res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
    json(res, { tags: ['1', '2'] });
  });
  internal = await startServer((_req, res) => json(res, { tags: ['internal'] }));
});
afterAll(async () => {
  await gh?.stop();
  await attacker?.close();
  await internal?.close();
});

function run(repository: string, operator: OperatorConfig = {}): Promise<RepoResult> {
  return runRepositoryJob(
    { installationId: INSTALLATION, repository, reason: 'push' },
    {
      platform: jobPlatform(gh, INSTALLATION, repository),
      registryCache: new MemoryCache(),
      mention: '@dockhand',
      operator: operatorSettings(operator, WORKER_ENV),
    },
  );
}

const dashboardOf = (name: string) => gh.state.issues('acme', name).find((issue) => !issue.pull)?.body ?? '';
/** The operator lets the attacker's host be reached, as any host on the internet can be. */
const attackerIsPublic = (): OperatorConfig => ({ network: { allow: [attacker.host] } });

describe('registry credentials chosen by the repository', () => {
  it('are a configuration error on the dashboard; the named host receives nothing at all', async () => {
    gh.state.createRepo('acme', 'steal', {
      files: {
        Dockerfile: `FROM ${attacker.host}/x:1\nUSER app\n`,
        '.github/dockhand.yml': `registries:\n  - {host: "${attacker.host}", usernameEnv: APP_ID, passwordEnv: PRIVATE_KEY}\n`,
      },
    });
    const before = attacker.received.length;
    const result = await run('acme/steal', attackerIsPublic());
    expect(result.outcome).toBe('failed');
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^\.github\/dockhand\.yml: registries\[0\]\.usernameEnv: credentials cannot come from a scanned repository/,
      ),
    ]);
    expect(result.errors[0]).toContain('registries[0].passwordEnv');
    expect(dashboardOf('steal')).toContain('registries[0].passwordEnv: credentials cannot come from');
    expect(attacker.received.length - before).toBe(0);
  });

  it('in the org config too', async () => {
    gh.state.createRepo('evil', '.github', {
      files: {
        'dockhand.yml': `registries:\n  - {host: "${attacker.host}", usernameEnv: APP_ID, passwordEnv: PRIVATE_KEY}\n`,
      },
    });
    gh.state.addInstallation({ id: INSTALLATION + 1, account: 'evil' });
    gh.state.createRepo('evil', 'app', { files: { Dockerfile: `FROM ${attacker.host}/x:1\nUSER app\n` } });
    const before = attacker.received.length;
    const result = await runRepositoryJob(
      { installationId: INSTALLATION + 1, repository: 'evil/app', reason: 'push' },
      {
        platform: jobPlatform(gh, INSTALLATION + 1, 'evil/app'),
        registryCache: new MemoryCache(),
        mention: '@dockhand',
        operator: operatorSettings(attackerIsPublic(), WORKER_ENV),
      },
    );
    expect(result.errors[0]).toMatch(/^evil\/\.github\/dockhand\.yml: registries\[0\]\.usernameEnv: /);
    expect(attacker.received.length - before).toBe(0);
  });

  it('a repository naming the host gets anonymous lookups: no Authorization ever reaches it', async () => {
    gh.state.createRepo('acme', 'named', {
      files: {
        Dockerfile: `FROM ${attacker.host}/x:1\nUSER app\n`,
        '.github/dockhand.yml': `registries:\n  - host: "${attacker.host}"\n`,
      },
    });
    const before = attacker.received.length;
    const result = await run('acme/named', attackerIsPublic());
    const seen = attacker.received.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
    expect(result.errors).toContain(
      `registries: ${attacker.host} is named, but this Dockhand has no registry configured for it`,
    );
  });

  it('credentials the operator configured for other repositories stay theirs', async () => {
    gh.state.createRepo('acme', 'outsider', {
      files: { Dockerfile: `FROM ${attacker.host}/x:1\nUSER app\n` },
    });
    const scoped: OperatorConfig = {
      ...attackerIsPublic(),
      registries: [
        {
          host: attacker.host,
          usernameEnv: 'APP_ID',
          passwordEnv: 'PRIVATE_KEY',
          repositories: ['acme/api-*'],
        },
      ],
    };
    let before = attacker.received.length;
    await run('acme/outsider', scoped);
    expect(attacker.received.slice(before).filter((r) => r.headers.authorization)).toEqual([]);
    gh.state.createRepo('acme', 'api-orders', {
      files: { Dockerfile: `FROM ${attacker.host}/x:1\nUSER app\n` },
    });
    before = attacker.received.length;
    await run('acme/api-orders', scoped);
    const basic = `Basic ${Buffer.from(`${WORKER_ENV.APP_ID}:${WORKER_ENV.PRIVATE_KEY}`).toString('base64')}`;
    expect(attacker.received.slice(before).map((r) => r.headers.authorization)).toContain(basic);
  });
});

describe('image references to internal addresses', () => {
  it('are refused before connecting, each with the same neutral error', async () => {
    const port = internal.host.split(':')[1];
    gh.state.createRepo('acme', 'ssrf', {
      files: {
        Dockerfile: [
          `FROM 127.0.0.1:${port}/x:1 AS a`,
          `FROM localhost:${port}/y:1 AS b`,
          `FROM 2130706433:${port}/z:1 AS c`,
          `FROM [::ffff:7f00:1]:${port}/w:1 AS d`,
          'FROM 169.254.169.254/latest:1 AS e',
          'FROM 127.0.0.1:1/closed:1',
          'USER app',
          '',
        ].join('\n'),
      },
    });
    const result = await run('acme/ssrf');
    expect(internal.received).toEqual([]);
    const lookups = result.errors.filter((e) => e.includes('registry host not allowed'));
    expect(lookups).toHaveLength(6);
    const dashboard = dashboardOf('ssrf');
    expect(dashboard).toContain('registry host not allowed');
    expect(dashboard).not.toMatch(/ECONNREFUSED|UND_ERR|connection failed|unauthorized|certificate/i);
  });

  it('are looked up when the operator allows that host (an internal registry)', async () => {
    gh.state.createRepo('acme', 'internal', {
      files: { Dockerfile: `FROM ${internal.host}/x:1\nUSER app\n` },
    });
    const result = await run('acme/internal', { network: { allow: [internal.host] } });
    expect(internal.received.length).toBeGreaterThan(0);
    expect(result.errors.filter((e) => e.includes('not allowed'))).toEqual([]);
  });
});

describe('a registry that stalls', () => {
  it('is skipped after two timeouts and reported once; the job ends and publishes the rest', async () => {
    const stalls: FakeServer = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"tags":[');
    });
    try {
      const lines = Array.from({ length: 40 }, (_, i) => `FROM ${stalls.host}/img${i}:1.0 AS s${i}`);
      gh.state.createRepo('acme', 'tarpit', { files: { Dockerfile: `${lines.join('\n')}\nUSER app\n` } });
      const result = await run('acme/tarpit', {
        network: { allow: [stalls.host] },
        limits: { requestTimeoutSeconds: 1, hostTimeouts: 2 },
      });
      expect(result.outcome).toBe('ok');
      // The lookups in flight when the breaker opened time out too; none is sent after it.
      expect(stalls.received.length).toBeLessThanOrEqual(8);
      const skipped = result.errors.filter((e) => e.includes('skipped for the rest of this run'));
      expect(skipped).toEqual([expect.stringMatching(/ and \d+ more: /)]);
      expect(dashboardOf('tarpit')).toContain('skipped for the rest of this run after 2 timeouts');
    } finally {
      await stalls.close();
    }
  });
});

describe('a YAML alias bomb in the repository config', () => {
  it('is a configuration error on the dashboard; the job itself does not throw', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const name of 'bcdefgh')
      levels.push(
        `${name}: &${name} [${Array(9)
          .fill(`*${String.fromCharCode(name.charCodeAt(0) - 1)}`)
          .join(', ')}]`,
      );
    gh.state.createRepo('acme', 'laughs', {
      files: {
        Dockerfile: 'FROM node:20.1.0\nUSER node\n',
        '.github/dockhand.yml': `${levels.join('\n')}\n`,
      },
    });
    const result = await run('acme/laughs');
    expect(result.errors).toEqual([
      expect.stringMatching(/^\.github\/dockhand\.yml: invalid YAML: too many alias expansions/),
    ]);
    expect(dashboardOf('laughs')).toContain('too many alias expansions');
  });
});
