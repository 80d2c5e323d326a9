// Where the CLI's registry credentials come from: the user's own config (--config, the user's settings
// file) or `docker login`, never the scanned directory. The "attacker" is a registry on loopback that
// asks for Basic credentials and records every request it gets.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { json, startServer, type FakeServer } from '../datasources/docker/fake-registry.js';

let registry: FakeServer;
let dir: string;
let home: string;
const SECRET = 'AKIAsecret-from-the-shell';
const USER = 'me';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

beforeAll(async () => {
  registry = await startServer((req, res) => {
    if (!req.headers.authorization)
      return void res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
    json(res, { tags: ['1', '2'] });
  });
});
afterAll(() => registry.close());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dockhand-cli-creds-'));
  home = await mkdtemp(join(tmpdir(), 'dockhand-cli-home-'));
  registry.received.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

async function put(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const env = { HOME: home, AWS_SECRET_ACCESS_KEY: SECRET, AWS_USER: USER, NO_COLOR: '1' };
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: dir,
    isTTY: false,
    env,
  });
  return { code, stdout, stderr };
}

const dockerfile = () => `FROM ${registry.host}/team/app:1\n`;
const authorizations = () => registry.received.map((r) => r.headers.authorization).filter(Boolean);

describe('a scanned directory', () => {
  it('naming credentials from the environment is a configuration error; the registry receives nothing', async () => {
    await put(dir, {
      Dockerfile: dockerfile(),
      '.dockhand.yml': `registries:\n  - {host: "${registry.host}", usernameEnv: AWS_USER, passwordEnv: AWS_SECRET_ACCESS_KEY}\n`,
    });
    const { code, stderr } = await cli(['scan', '.', '--resolve']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      '.dockhand.yml: registries[0].passwordEnv: credentials cannot come from a scanned repository',
    );
    expect(stderr).not.toContain(SECRET);
    expect(registry.received).toEqual([]);
  });

  it('naming a host only is looked up anonymously, with a warning', async () => {
    await put(dir, {
      Dockerfile: dockerfile(),
      '.dockhand.yml': `registries:\n  - host: "${registry.host}"\n`,
    });
    const { stderr } = await cli(['scan', '.', '--resolve']);
    expect(registry.received.length).toBeGreaterThan(0);
    expect(authorizations()).toEqual([]);
    expect(stderr).toContain(`registries: ${registry.host} is named but has no credentials`);
  });

  it('with a YAML alias bomb is a configuration error naming the file, not a crash', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const name of 'bcdefgh')
      levels.push(
        `${name}: &${name} [${Array(9)
          .fill(`*${String.fromCharCode(name.charCodeAt(0) - 1)}`)
          .join(', ')}]`,
      );
    await put(dir, { Dockerfile: dockerfile(), '.dockhand.yml': `${levels.join('\n')}\n` });
    const { code, stderr } = await cli(['scan', '.']);
    expect(code).toBe(2);
    expect(stderr).toContain('.dockhand.yml: invalid YAML: too many alias expansions');
    expect(stderr).not.toContain('ReferenceError');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe("the user's own credentials", () => {
  it('come from the settings file in $XDG_CONFIG_HOME/dockhand/config.yml', async () => {
    await put(home, {
      '.config/dockhand/config.yml': `registries:\n  - {host: "${registry.host}", usernameEnv: AWS_USER, passwordEnv: AWS_SECRET_ACCESS_KEY}\n`,
    });
    await put(dir, { Dockerfile: dockerfile() });
    const { stdout } = await cli(['scan', '.', '--resolve']);
    expect(authorizations()).toContain(basic(USER, SECRET));
    expect(stdout).not.toContain(SECRET);
  });

  it('come from a config file given with --config', async () => {
    await put(home, {
      'mine.yml': `registries:\n  - {host: "${registry.host}", usernameEnv: AWS_USER, passwordEnv: AWS_SECRET_ACCESS_KEY}\n`,
    });
    await put(dir, { Dockerfile: dockerfile() });
    await cli(['scan', '.', '--resolve', '--config', join(home, 'mine.yml')]);
    expect(authorizations()).toContain(basic(USER, SECRET));
  });

  it('come from docker login (auths of ~/.docker/config.json)', async () => {
    const auth = Buffer.from('docker-user:docker-pass').toString('base64');
    await put(home, { '.docker/config.json': JSON.stringify({ auths: { [registry.host]: { auth } } }) });
    await put(dir, { Dockerfile: dockerfile() });
    await cli(['scan', '.', '--resolve']);
    expect(authorizations()).toContain(basic('docker-user', 'docker-pass'));
  });
});

describe('the network', () => {
  it("reaches the user's loopback registries but never cloud metadata", async () => {
    await put(dir, {
      Dockerfile: `FROM 169.254.169.254/latest/meta-data:1\nFROM ${registry.host}/team/app:1\n`,
    });
    const { stdout } = await cli(['scan', '.', '--resolve', '--format', 'json']);
    const deps = JSON.parse(stdout).files[0].deps as { depName: string; lookupError?: string }[];
    expect(deps[0]!.lookupError).toBe('169.254.169.254: registry host not allowed');
    // The loopback registry was asked (and asked for credentials the user has not given).
    expect(deps[1]!.lookupError).toMatch(/unauthorized \(401\)$/);
    expect(registry.received.length).toBeGreaterThan(0);
  });
});
