// Compose services that build their image: the `image:` name is the build's output. It stays in the
// report (skipReason `build-output`) but is never looked up or edited, while the Dockerfile it builds is
// scanned and linted as any other. Fixtures: fixtures/build-outputs/.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../../src/config/index.js';
import type { Dependency } from '../../../src/core/types.js';
import type { RegistryLookups } from '../../../src/plan/plan.js';
import { resolveFiles } from '../../../src/plan/resolve.js';
import { manager } from '../../../src/managers/compose/index.js';
import { renderJson } from '../../../src/output/json.js';
import { scanDirectory, type ScanResult } from '../../../src/scan/scan.js';
import { depRows } from '../../reference/dep-rows.js';

const DIR = fileURLToPath(new URL('fixtures/build-outputs/', import.meta.url));
const B = 'build-output';
const extract = (content: string) => manager.extract(content, 'compose.yaml');

describe('compose extract: images the file builds', () => {
  const content = readFileSync(DIR + 'compose.yaml', 'utf8');
  const { deps, builds, errors } = extract(content);

  it('are build outputs, however the build is declared; other images stay dependencies', () => {
    expect(errors).toBeUndefined();
    expect(depRows(deps)).toEqual([
      [3, 'docker.io/library/acme-app', 'dev', null, B], // anchor shared by web and web-debug
      [10, 'docker.io/library/acme-api', null, null, B], // build mapping
      [17, 'registry.example.com/acme/worker', 'dev', null, B], // build string, image after it
      [27, 'docker.io/library/acme-cli', 'local', null, B], // extends: api
      [31, 'docker.io/library/acme-cron', null, null, B], // extends: { service: cli } → api
      [34, 'docker.io/library/acme-api', 'latest', null, B], // runs what api builds
      [37, 'docker.io/library/acme-inline', null, null, B], // dockerfile_inline
      [46, 'docker.io/library/nginx', '1.27', null], // extends a service of another file
      [49, 'docker.io/library/redis', '7.4-alpine', null],
      [51, 'docker.io/library/nginx', 'latest', null],
    ]);
  });

  it('carry no edit ranges: nothing ever writes them', () => {
    for (const dep of deps.filter((d) => d.skipReason === B)) {
      expect(dep, dep.value).not.toHaveProperty('tagRange');
      expect(dep, dep.value).not.toHaveProperty('digestRange');
    }
  });

  it('keep their builds: the Dockerfiles are found as before', () => {
    expect(builds?.map((b) => [b.service, b.dockerfile])).toEqual([
      ['api', 'api/Dockerfile.prod'],
      ['worker', 'worker/Dockerfile'],
      ['web', 'app/Dockerfile'],
      ['web-debug', 'app/Dockerfile'],
    ]);
  });

  it('version 1 files (services at the top level)', () => {
    const v1 = extract(readFileSync(DIR + 'docker-compose.v1.yml', 'utf8'));
    expect(depRows(v1.deps)).toEqual([
      [4, 'docker.io/library/acme-web', null, null, B],
      [6, 'docker.io/library/postgres', '16', null],
    ]);
  });

  it('a build output wins over the other skip reasons: a built name is never looked up', () => {
    const { deps: skipped } = extract(
      'services:\n  a:\n    build: .\n    image: ${REGISTRY}/app\n  b:\n    build: .\n    image: "App$$1"\n',
    );
    expect(depRows(skipped)).toEqual([
      [4, '${REGISTRY}/app', null, null, B],
      [7, 'App$$1', null, null, B],
    ]);
  });

  it('`build:` without a value builds nothing (and declares no build)', () => {
    const result = extract('services:\n  db:\n    image: postgres:16\n    build:\n');
    expect(depRows(result.deps)).toEqual([[3, 'docker.io/library/postgres', '16', null]]);
    expect(result.builds).toBeUndefined();
  });

  it('an `extends` cycle (invalid for Compose) ends without a build', () => {
    const result = extract(
      'services:\n  a:\n    extends: b\n    image: x:1\n  b:\n    extends: { service: a }\n    image: y:1\n',
    );
    expect(depRows(result.deps)).toEqual([
      [4, 'docker.io/library/x', '1', null],
      [7, 'docker.io/library/y', '1', null],
    ]);
  });
});

describe('a scan of a tree with building compose services', () => {
  let config: Config;
  let scan: ScanResult;
  const fileDeps = (path: string): Dependency[] => scan.files.find((f) => f.path === path)?.deps ?? [];

  beforeAll(async () => {
    ({ config } = await loadConfig(DIR));
    scan = await scanDirectory(DIR, config);
  });

  it('still scans and lints the Dockerfiles the services build', () => {
    expect(depRows(fileDeps('api/Dockerfile.prod'))).toEqual([
      [1, 'docker.io/library/node', '22-bookworm-slim', null],
    ]);
    const apiRules = scan.findings.filter((f) => f.path === 'api/Dockerfile.prod').map((f) => f.rule);
    expect(apiRules).toEqual(expect.arrayContaining(['DH201', 'DH702']));
    expect(scan.findings.filter((f) => f.path.endsWith('.yaml') || f.path.endsWith('.yml'))).toEqual([]);
  });

  it('never asks a registry about a build output, and proposes no update for one', async () => {
    const asked: string[] = [];
    const lookups: RegistryLookups = {
      getTags: async (image) => (asked.push(image.repository), []),
      getDigest: async (image) => (
        asked.push(image.repository),
        { digest: `sha256:${'a'.repeat(64)}`, mediaType: 'application/vnd.oci.image.index.v1+json' }
      ),
      getManifest: () => Promise.reject(new Error('not used')),
      getPlatformDigest: async () => null,
      getCreated: async () => null,
      getPlatform: async () => null,
    };
    await resolveFiles(scan.files, config.updates, lookups);
    expect(asked.filter((repository) => repository.includes('acme'))).toEqual([]);
    expect(new Set(asked)).toEqual(
      new Set([
        'library/node',
        'library/python',
        'library/golang',
        'library/alpine',
        'library/nginx',
        'library/redis',
        'library/postgres',
      ]),
    );
    const built = scan.files.flatMap((f) => f.deps).filter((d) => d.skipReason === B);
    expect(built).toHaveLength(8);
    for (const dep of built) {
      expect(dep.updates, dep.value).toBeUndefined();
      expect(dep.lookupError, dep.value).toBeUndefined();
    }
  });

  it('says why in the JSON report', () => {
    const report = JSON.parse(renderJson(scan)) as {
      files: { path: string; deps: Record<string, unknown>[] }[];
    };
    const web = report.files.find((f) => f.path === 'docker-compose.v1.yml')!.deps[0]!;
    expect(web).toEqual({
      depName: 'docker.io/library/acme-web',
      registry: 'docker.io',
      repository: 'library/acme-web',
      tag: null,
      digest: null,
      value: 'acme-web',
      line: 4,
      source: 'compose-image',
      skipReason: 'build-output',
    });
  });
});
