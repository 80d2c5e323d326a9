// Hand-checked dependencies of the project's own workflows in test/fixtures/ci/.github/workflows: the
// behaviours corpus.test.ts pins on real-world workflows, in files written for the project.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manager } from '../../../src/managers/github-actions/index.js';
import { FIXTURES } from '../../support/corpus.js';
import { depRows } from '../../reference/dep-rows.js';
import type { DepRow } from '../../reference/dep-rows.js';

const read = (path: string) => readFileSync(FIXTURES + path, 'utf8');
const U = 'unresolved-variable';
const W = 'ci/.github/workflows/';

const expected: Record<string, DepRow[]> = {
  // Service containers, one quoted, one with a folded `options` block.
  [`${W}ldap-integration.yaml`]: [
    [18, 'ghcr.io/acme/openldap', null, null],
    [25, 'quay.io/coreos/etcd', 'v3.5.21', null],
    [35, 'ghcr.io/acme/dex', null, null],
    [39, 'ghcr.io/acme/dex', null, null],
  ],
  // A job container built from an expression, after the services in file order.
  [`${W}test-databases.yml`]: [
    [16, 'ghcr.io/acme/mirror-postgres', '17-alpine', null],
    [25, 'docker.io/library/mysql', null, null],
    [
      30,
      "${{ matrix.python-version == '3.8' && format('python:{0}', matrix.python-version) || null }}",
      null,
      null,
      U,
    ],
  ],
  // Matrix expressions inside image names, quoted services, Microsoft and IBM registries.
  [`${W}matrix.yml`]: [
    [
      16,
      "gvenzl/oracle-${{ matrix.oracle-version < 23 && 'xe' || 'free' }}:${{ matrix.oracle-version }}",
      null,
      null,
      U,
    ],
    [31, 'postgres:${{ matrix.postgres-version }}', null, null, U],
    [41, 'mcr.microsoft.com/mssql/server', '2022-latest', null],
    [51, 'icr.io/db2_community/db2', '12.1.1.0', null],
  ],
  // All three sources: `uses: docker://`, a container map, a service, a container string.
  [`${W}sources.yml`]: [
    [12, 'docker.io/alpine/git', '2.47.2', null],
    [21, 'ghcr.io/acme/test-git', 'main.20250301.101500.42z', null],
    [25, 'docker.io/ubuntu/squid', 'latest', null],
    [33, 'docker.io/alpine/git', '2.47.2', null],
  ],
  // A container string with a digest.
  [`${W}old-linux.yml`]: [
    [
      13,
      'docker.io/library/debian',
      'buster-20240612-slim',
      'sha256:5c16c8b53f7e1574ce24649c153495302241ea4c1e490bdd325c0f1e0a6ac8ea',
    ],
  ],
  // A container map with a digest on a registry with a dash in its domain.
  [`${W}chart-lint.yml`]: [
    [
      14,
      'public.ecr.aws/acme/chart-tools',
      'v1.8.0',
      'sha256:c490430e7b420493b99cb64ee2d3e6c6bcaacf5312328cde390e91ac5bbe5f34',
    ],
  ],
  [`${W}ci.yml`]: [
    [13, 'docker.io/rhysd/actionlint', '1.7.7', null],
    [20, 'docker.io/library/postgres', '16.9', null],
  ],
};

describe('github-actions fixtures: hand-checked dependencies', () => {
  it.each(Object.keys(expected))('%s', (path) => {
    expect(manager.filePatterns.some((p) => p.test(path))).toBe(true);
    const result = manager.extract(read(path), path);
    expect(result.errors).toBeUndefined();
    expect(depRows(result.deps)).toEqual(expected[path]);
  });

  it('sources in sources.yml', () => {
    const path = `${W}sources.yml`;
    expect(manager.extract(read(path), path).deps.map((d) => d.source)).toEqual([
      'workflow-uses',
      'workflow-container',
      'workflow-service',
      'workflow-container',
    ]);
  });
});
