import { describe, expect, it } from 'vitest';
import { manager } from '../../../src/managers/github-actions/index.js';
import { depRows, rangeTexts } from '../../reference/dep-rows.js';

const extract = (content: string) => manager.extract(content, '.github/workflows/ci.yml');
const SHA = 'sha256:' + '5'.repeat(64);
const U = 'unresolved-variable';

describe('github-actions file patterns', () => {
  const matches = (path: string) => manager.filePatterns.some((p) => p.test(path));
  it.each([
    '.github/workflows/ci.yml',
    '.github/workflows/release.yaml',
    'sub/project/.github/workflows/x.yml',
  ])('matches %s', (path) => expect(matches(path)).toBe(true));
  it.each([
    '.github/workflows/nested/ci.yml',
    '.github/dependabot.yml',
    'github/workflows/ci.yml',
    '.github/workflows/README.md',
    'action.yml',
  ])('does not match %s', (path) => expect(matches(path)).toBe(false));
});

describe('github-actions extract', () => {
  it('job containers, service containers and docker:// steps', () => {
    const content = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    container: node:20-bookworm
    services:
      db:
        image: "postgres:16"
        env: { POSTGRES_PASSWORD: x }
      cache:
        image: 'redis@${SHA}'
    steps:
      - uses: actions/checkout@v4
      - uses: docker://alpine:3.20
      - uses: "docker://ghcr.io/owner/tool:v1"
      - run: echo hi
  b:
    runs-on: ubuntu-latest
    container:
      image: ghcr.io/owner/builder:2@${SHA}
      credentials: { username: x, password: y }
    steps:
      - uses: docker://busybox
`;
    const { deps, errors } = extract(content);
    expect(errors).toBeUndefined();
    expect(depRows(deps)).toEqual([
      [5, 'docker.io/library/node', '20-bookworm', null],
      [8, 'docker.io/library/postgres', '16', null],
      [11, 'docker.io/library/redis', null, SHA],
      [14, 'docker.io/library/alpine', '3.20', null],
      [15, 'ghcr.io/owner/tool', 'v1', null],
      [20, 'ghcr.io/owner/builder', '2', SHA],
      [23, 'docker.io/library/busybox', null, null],
    ]);
    expect(deps.map((d) => d.source)).toEqual([
      'workflow-container',
      'workflow-service',
      'workflow-service',
      'workflow-uses',
      'workflow-uses',
      'workflow-container',
      'workflow-uses',
    ]);
    expect(deps.map((d) => rangeTexts(content, d))).toEqual([
      { tag: '20-bookworm', digest: '' },
      { tag: '16', digest: '' },
      { tag: '', digest: SHA },
      { tag: '3.20', digest: '' },
      { tag: 'v1', digest: '' },
      { tag: '2', digest: SHA },
      { tag: '', digest: '' },
    ]);
    // `uses:` values are reported without the scheme.
    expect(deps[3]!.value).toBe('alpine:3.20');
    expect(content.slice(deps[6]!.tagRange!.start - 'busybox'.length, deps[6]!.tagRange!.start)).toBe(
      'busybox',
    );
  });

  it('expressions are unresolved', () => {
    const content = `jobs:
  t:
    container: \${{ matrix.image }}
    services:
      db:
        image: postgres:\${{ matrix.pg }}
      maybe:
        image: \${{ matrix.db == 'mysql' && 'mysql:8' || '' }}
    steps:
      - uses: docker://\${{ env.IMAGE }}
`;
    expect(depRows(extract(content).deps)).toEqual([
      [3, '${{ matrix.image }}', null, null, U],
      [6, 'postgres:${{ matrix.pg }}', null, null, U],
      [8, "${{ matrix.db == 'mysql' && 'mysql:8' || '' }}", null, null, U],
      [10, '${{ env.IMAGE }}', null, null, U],
    ]);
  });

  it('reusable workflows, actions and odd shapes are not images', () => {
    const content = `jobs:
  call:
    uses: owner/repo/.github/workflows/x.yml@main
  t:
    container: {}
    services: []
    steps: {}
  u:
    steps:
      - uses: ./local-action
      - uses: docker/build-push-action@v6
      - uses: docker://
`;
    expect(depRows(extract(content).deps)).toEqual([[12, '', null, null, 'empty']]);
  });

  it('anchors in workflows', () => {
    const content = `jobs:
  a:
    services:
      db: &db
        image: postgres:16
  b:
    services:
      db: *db
`;
    expect(depRows(extract(content).deps)).toEqual([[5, 'docker.io/library/postgres', '16', null]]);
  });

  it('broken YAML is reported', () => {
    const { errors } = extract('jobs:\n  a:\n    container: [\n');
    expect(errors?.[0]?.line).toBeGreaterThan(0);
  });
});
