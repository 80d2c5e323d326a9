import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { configFromTexts } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dockhand-config-'));
  await mkdir(join(dir, '.github'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const write = (path: string, text: string) => writeFile(join(dir, path), text);

async function errorOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}

describe('loadConfig', () => {
  it('uses config/default.yml when the directory has no config, and the defaults are complete', async () => {
    const defaults = parse(await readFile(new URL('../../config/default.yml', import.meta.url), 'utf8'));
    expect(configSchema.safeParse(defaults).success).toBe(true);
    expect(await loadConfig(dir)).toEqual({
      file: null,
      config: {
        ignore: [],
        severity: {},
        trustedRegistries: [],
        failureThreshold: 'error',
        ignorePaths: [],
        allowInlineIgnores: true,
        registries: [],
        cacheTtlSeconds: 3600,
        updates: {
          pinDigests: ['dockerfile'],
          separateMajor: true,
          updateTypes: ['major', 'minor', 'patch', 'digest', 'pin', 'replace'],
          minimumReleaseAgeDays: 0,
          allowedVersions: '',
          ltsOnly: true,
          moveSuffix: false,
          rangeStrategy: 'auto',
          automerge: false,
          ignore: [],
          rules: [],
        },
        pullRequests: {
          grouping: 'major-line',
          labels: ['dependencies', 'docker'],
          prConcurrentLimit: 10,
          prHourlyLimit: 5,
          rebaseWhen: 'behind-base-branch',
        },
        dashboard: true,
        checks: true,
        codeScanning: false,
        maintenance: {
          enabled: false,
          inactiveDays: 90,
          workflow: null,
          inputs: {},
          rebuildPullRequest: false,
          automerge: false,
        },
        lockFileMaintenance: 'maintenance',
        relockWorkflow: null,
        automergeSchedule: null,
        automergeWithoutChecks: false,
        schedule: { cron: '0 0 3 * * 1', timezone: 'UTC' },
        reports: {
          policies: {
            'up-to-date-bases': { digestAgeDays: 14, tagBehindDays: 14 },
            'no-eol-base': {},
            'non-root-final-stage': {},
            'digests-pinned': {},
            'no-latest': {},
            'no-lint-errors': {},
            'approved-bases': {},
            'prs-acted-on': { maxOpenDays: 30 },
            'maintenance-rebuilt': { maxDays: 8 },
            'outdated-dependencies': { maxOutdated: null, maxLibyears: null },
          },
          approvedBases: [],
          issue: false,
        },
      },
    });
  });

  it('prefers .github/dockhand.yml over .dockhand.yml, and merges onto the defaults', async () => {
    await write('.dockhand.yml', 'failureThreshold: info\n');
    await write('.github/dockhand.yml', 'failureThreshold: warning\ntrustedRegistries: ["ghcr.io/acme/*"]\n');
    const loaded = await loadConfig(dir);
    expect(loaded.file).toBe('.github/dockhand.yml');
    expect(loaded.config).toMatchObject({
      failureThreshold: 'warning',
      trustedRegistries: ['ghcr.io/acme/*'],
      ignore: [],
    });
    await rm(join(dir, '.github/dockhand.yml'));
    expect((await loadConfig(dir)).config.failureThreshold).toBe('info');
  });

  it('reads an explicit file relative to cwd, and says when it is missing', async () => {
    await write('custom.yml', 'allowInlineIgnores: false\nignorePaths: [vendor/]\n');
    const loaded = await loadConfig('/nonexistent', { file: 'custom.yml', cwd: dir });
    expect(loaded).toMatchObject({
      file: 'custom.yml',
      config: { allowInlineIgnores: false, ignorePaths: ['vendor/'] },
    });
    expect(await errorOf(loadConfig(dir, { file: 'nope.yml', cwd: dir }))).toBe(
      'nope.yml: config file not found',
    );
  });

  it('treats an empty file as "nothing configured"', async () => {
    await write('.dockhand.yml', '# nothing yet\n');
    expect((await loadConfig(dir)).config.failureThreshold).toBe('error');
  });

  it.each([
    ['failureThreshold: fatal', 'failureThreshold: expected one of error, warning, info, none, got "fatal"'],
    ['ignore: DH201', 'ignore: expected a list, got "DH201"'],
    ['ignore: [DH201, 3]', 'ignore[1]: expected a string, got 3'],
    ['severity:\n  DH201: fatal', 'severity.DH201: expected one of error, warning, info, off, got "fatal"'],
    ['severity: [DH201]', 'severity: expected a mapping, got a list'],
    ['allowInlineIgnores: "no"', 'allowInlineIgnores: expected true or false, got "no"'],
    [
      'trustedRegistries: ["ghcr.io/a b"]',
      'trustedRegistries[0]: expected a pattern without spaces, got "ghcr.io/a b"',
    ],
    ['ignorePaths: [""]', 'ignorePaths[0]: expected a non-empty string'],
    [
      'failureTreshold: error',
      'unknown field "failureTreshold" (expected one of ignore, severity, trustedRegistries',
    ],
    ['- ignore', 'expected a mapping, got a list'],
    ['ignore:', 'ignore: expected a list, got nothing'],
  ])('rejects %j naming file, field and expectation', async (yaml, message) => {
    await write('.github/dockhand.yml', `${yaml}\n`);
    expect(await errorOf(loadConfig(dir))).toContain(`.github/dockhand.yml: ${message}`);
  });

  it('reports every problem, one per line', async () => {
    await write('.dockhand.yml', 'failureThreshold: fatal\nallowInlineIgnores: 1\n');
    expect((await errorOf(loadConfig(dir))).split('\n')).toHaveLength(2);
  });

  it('names file and line of a YAML syntax error', async () => {
    await write('.dockhand.yml', 'ignore:\n  - DH201\n severity: {}\n');
    expect(await errorOf(loadConfig(dir))).toMatch(/^\.dockhand\.yml: line 3: invalid YAML: /);
    await write('.dockhand.yml', 'a: 1\na: 2\n');
    expect(await errorOf(loadConfig(dir))).toMatch(/^\.dockhand\.yml: line \d: invalid YAML: .*unique/i);
  });

  it('accepts rule ids and slugs of the catalog and rejects others', async () => {
    await write(
      '.dockhand.yml',
      'ignore: [DH201, base-not-digest-pinned]\nseverity:\n  DH702: info\n  final-stage-root: off\n',
    );
    expect((await loadConfig(dir)).config).toMatchObject({
      ignore: ['DH201', 'base-not-digest-pinned'],
      severity: { DH702: 'info', 'final-stage-root': 'off' },
    });
    await write('.dockhand.yml', 'ignore: [DH999]\nseverity:\n  no-such-rule: error\n');
    const message = await errorOf(loadConfig(dir));
    expect(message).toContain(
      '.dockhand.yml: ignore[0]: expected a rule id (DH201) or slug (final-stage-root), got "DH999"',
    );
    expect(message).toContain('.dockhand.yml: severity.no-such-rule: expected a rule id');
  });
});

describe('registries and update policy', () => {
  const registries = [
    'registries:',
    '  - host: ghcr.io',
    '    usernameEnv: GHCR_USER',
    '    passwordEnv: GHCR_TOKEN',
    '  - host: docker.io',
    '    mirror: https://mirror.example.com',
    '  - host: registry.internal:5000',
    '    insecure: true',
    'updates:',
    '  pinDigests: false',
    '  rules:',
    '    - matchPaths: ["legacy/**"]',
    '      enabled: false',
    '',
  ].join('\n');

  it('accepts credentials named by environment variable, mirrors and insecure hosts from --config', async () => {
    await write('mine.yml', registries);
    const { config } = await loadConfig(dir, { file: 'mine.yml', cwd: dir });
    expect(config.registries.map((r) => r.host)).toEqual(['ghcr.io', 'docker.io', 'registry.internal:5000']);
    // Fields of `updates` not in the file keep their defaults.
    expect(config.updates).toMatchObject({ pinDigests: false, ltsOnly: true, rules: [{ enabled: false }] });
    expect(config.cacheTtlSeconds).toBe(3600);
  });

  it('refuses them, field by field and saying why, in a config found in the scanned directory', async () => {
    await write('.github/dockhand.yml', registries);
    const lines = (await errorOf(loadConfig(dir))).split('\n');
    expect(lines.map((line) => line.split(': ').slice(0, 2).join(': '))).toEqual([
      '.github/dockhand.yml: registries[0].usernameEnv',
      '.github/dockhand.yml: registries[0].passwordEnv',
      '.github/dockhand.yml: registries[1].mirror',
      '.github/dockhand.yml: registries[2].insecure',
    ]);
    expect(lines[0]).toContain('credentials cannot come from a scanned repository');
    expect(lines[0]).toContain('$XDG_CONFIG_HOME/dockhand/config.yml');
    expect(lines[2]).toContain('cannot send lookups to another host');
    expect(lines[3]).toContain('cannot switch TLS off');
  });

  it('lets a scanned config name a registry by host', async () => {
    await write('.github/dockhand.yml', 'registries:\n  - host: ghcr.io\n');
    expect((await loadConfig(dir)).config.registries).toEqual([{ host: 'ghcr.io' }]);
  });

  it('turns a YAML alias bomb into a configuration error naming the file', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const name of 'bcdefgh') {
      const previous = String.fromCharCode(name.charCodeAt(0) - 1);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    await write('.github/dockhand.yml', `${levels.join('\n')}\n`);
    expect(await errorOf(loadConfig(dir))).toMatch(
      /^\.github\/dockhand\.yml: invalid YAML: too many alias expansions/,
    );
  });

  it('rejects a catastrophic allowedVersions pattern at once (patterns run in linear time)', async () => {
    await write('.github/dockhand.yml', 'updates:\n  allowedVersions: "(?=a)b"\n');
    expect(await errorOf(loadConfig(dir))).toContain(
      'updates.allowedVersions: expected a regular expression, got "(?=a)b": invalid or unsupported Perl syntax',
    );
  });

  it.each([
    ['registries:\n  - host: ghcr.io\n    password: hunter2', 'registries[0]: unknown field "password"'],
    [
      'registries:\n  - host: ghcr.io\n    passwordEnv: "$TOKEN"',
      'registries[0].passwordEnv: expected an environment variable name such as GHCR_TOKEN, got "$TOKEN"',
    ],
    [
      'registries:\n  - host: https://ghcr.io',
      'registries[0].host: expected a host name with an optional port, got "https://ghcr.io"',
    ],
    ['updates:\n  allowedVersions: "(("', 'updates.allowedVersions: expected a regular expression, got "(("'],
    [
      'updates:\n  updateTypes: [bump]',
      'updates.updateTypes[0]: expected one of major, minor, patch, digest, pin, replace',
    ],
  ])('rejects %j', async (yaml, message) => {
    await write('.github/dockhand.yml', `${yaml}\n`);
    const error = await errorOf(loadConfig(dir));
    expect(error).toContain(`.github/dockhand.yml: ${message}`);
    expect(error).not.toContain('hunter2');
  });
});

describe('configFromTexts (the app: org defaults, then the repository)', () => {
  it('layers each file over the one before, merging settings maps field by field', async () => {
    const config = await configFromTexts([
      {
        file: 'acme/.github:dockhand.yml',
        text: 'pullRequests:\n  prConcurrentLimit: 3\n  labels: [deps]\nfailureThreshold: warning\n',
      },
      {
        file: '.github/dockhand.yml',
        text: 'pullRequests:\n  prConcurrentLimit: 5\nmaintenance:\n  enabled: true\n',
      },
    ]);
    expect(config.pullRequests).toMatchObject({ prConcurrentLimit: 5, labels: ['deps'], prHourlyLimit: 5 });
    expect(config.failureThreshold).toBe('warning');
    expect(config.maintenance).toMatchObject({ enabled: true, inactiveDays: 90 });
  });

  it('names the file and field of the first error', async () => {
    await expect(
      configFromTexts([
        { file: 'acme/.github:dockhand.yml', text: 'pullRequests:\n  rebaseWhen: sometimes\n' },
      ]),
    ).rejects.toThrow(
      'acme/.github:dockhand.yml: pullRequests.rebaseWhen: expected one of behind-base-branch, conflicted, never, got "sometimes"',
    );
    await expect(
      configFromTexts([{ file: 'x.yml', text: 'schedule:\n  cron: "0 3 * * 1"\n' }]),
    ).rejects.toThrow('x.yml: schedule.cron: expected a 6-field cron (with seconds), got "0 3 * * 1"');
  });
});
