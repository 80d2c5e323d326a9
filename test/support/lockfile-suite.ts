// What every JavaScript relocker test sets up: a real registry (verdaccio, filled with `npm publish`)
// seen through a recording proxy, temporary directories removed afterwards, and package scripts that
// leave a marker file if they ever run. Registers the suite's hooks; read the fields inside tests.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { findNpmCli } from '../../src/lockfiles/npm-cli.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';
import { startVerdaccio, type PackageVersion, type TestNpmRegistry } from './verdaccio.js';

const run = promisify(execFile);

export const LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepare'];

export interface LockfileSuite {
  registry: TestNpmRegistry;
  /** In front of the registry; its requests are cleared before each test. */
  proxy: RecordingProxy;
  /** Where scripts leave their marker files. */
  markers: string;
  /** A directory removed after the suite. */
  tempDir(prefix: string): Promise<string>;
  /** Scripts `names` of `who` (`dep`, `root`…), each writing the marker `<who>-<name>` when run. */
  scripts(who: string, names: readonly string[]): Record<string, string>;
  /** The real npm, run by the test itself (not the code under test) against the proxy, nothing inherited. */
  npm(dir: string, args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** The markers `install` (a control that may run scripts) left, removed again afterwards. */
  scriptsRan(install: () => Promise<unknown>): Promise<string[]>;
}

export function lockfileSuite(packages: (suite: LockfileSuite) => PackageVersion[]): LockfileSuite {
  const dirs: string[] = [];
  const suite = {
    tempDir: async (prefix: string) => {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    scripts: (who: string, names: readonly string[]) =>
      Object.fromEntries(names.map((name) => [name, markerScript(join(suite.markers, `${who}-${name}`))])),
    npm: (dir: string, args: string[]) =>
      run(
        process.execPath,
        [findNpmCli()!, ...args, '--registry', suite.proxy.url, '--no-audit', '--no-fund'],
        {
          cwd: dir,
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: dir,
            npm_config_cache: join(dir, '.npm-cache'),
            npm_config_userconfig: join(dir, '.npmrc-user'),
            npm_config_update_notifier: 'false',
          },
          timeout: 120_000,
        },
      ),
    scriptsRan: async (install: () => Promise<unknown>) => {
      try {
        await install();
        return (await readdir(suite.markers)).sort();
      } finally {
        for (const name of await readdir(suite.markers)) await rm(join(suite.markers, name));
      }
    },
  } as Omit<LockfileSuite, 'registry' | 'proxy' | 'markers'> as LockfileSuite;

  beforeAll(async () => {
    suite.markers = await suite.tempDir('dockhand-markers-');
    suite.registry = await startVerdaccio();
    await suite.registry.publish(...packages(suite));
    suite.proxy = await startRecordingProxy(suite.registry.url, { keepHost: true });
  }, 180_000);
  afterAll(async () => {
    await suite.proxy?.close();
    await suite.registry?.stop();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  beforeEach(() => {
    if (suite.proxy) suite.proxy.requests.length = 0;
  });
  return suite;
}

/** A script line that writes `path` (no double quotes: it sits in a JSON string and a shell line). */
function markerScript(path: string): string {
  return `node -e "require('fs').writeFileSync(${JSON.stringify(path).replace(/"/g, "'")}, 'ran')"`;
}
