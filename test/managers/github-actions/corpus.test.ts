// Hand-checked dependencies of real GitHub Actions workflows from the corpus (DOCKHAND_CORPUS, see
// test/support/corpus.ts; skipped without it), each list verified by reading the file.
// fixtures.test.ts covers the same behaviours with the project's own files.
import { describe, expect, it } from 'vitest';
import { manager } from '../../../src/managers/github-actions/index.js';
import { depRows } from '../../reference/dep-rows.js';
import type { DepRow } from '../../reference/dep-rows.js';
import { corpus, readCorpus } from '../../support/corpus.js';

const read = readCorpus;
const U = 'unresolved-variable';

const expected: Record<string, DepRow[]> = {
  // Service containers, one quoted.
  'minio__minio/.github/workflows/iam-integrations.yaml': [
    [24, 'quay.io/minio/openldap', null, null],
    [33, 'quay.io/coreos/etcd', 'v3.5.1', null],
    [45, 'quay.io/minio/dex', null, null],
    [51, 'quay.io/minio/dex', null, null],
  ],
  // A job container built from a long expression, after the services in file order.
  'getsentry__sentry-python/.github/workflows/test-integrations-dbs.yml': [
    [24, 'ghcr.io/getsentry/image-mirror-library-postgres', '18-alpine', null],
    [37, 'docker.io/library/mysql', null, null],
    [
      55,
      "${{ (matrix.python-version == '3.6' || matrix.python-version == '3.7') && format('python:{0}', matrix.python-version) || null }}",
      null,
      null,
      U,
    ],
  ],
  // Matrix expressions inside image names, quoted services.
  'doctrine__dbal/.github/workflows/continuous-integration.yml': [
    [
      117,
      "gvenzl/oracle-${{ matrix.oracle-version < 23 && 'xe' || 'free'  }}:${{ matrix.oracle-version }}",
      null,
      null,
      U,
    ],
    [
      177,
      "gvenzl/oracle-${{ matrix.oracle-version < 23 && 'xe' || 'free'  }}:${{ matrix.oracle-version }}",
      null,
      null,
      U,
    ],
    [248, 'postgres:${{ matrix.postgres-version }}', null, null, U],
    [324, 'mariadb:${{ matrix.mariadb-version }}', null, null, U],
    [412, 'mysql:${{ matrix.mysql-version }}', null, null, U],
    [482, 'mcr.microsoft.com/mssql/server', '2019-latest', null],
    [538, 'icr.io/db2_community/db2', '11.5.8.0', null],
  ],
  // All three sources: `uses: docker://`, a container map, a service, a container string.
  'actions__checkout/.github/workflows/test.yml': [
    [191, 'docker.io/bitnami/git', 'latest', null],
    [220, 'ghcr.io/actions/test-ubuntu-git', 'main.20240221.114913.703z', null],
    [224, 'docker.io/ubuntu/squid', 'latest', null],
    [290, 'docker.io/bitnami/git', 'latest', null],
  ],
  'curl__curl/.github/workflows/linux-old.yml': [
    [
      59,
      'docker.io/library/debian',
      'stretch-20220622-slim',
      'sha256:c5cd3ffceeb25b683bf5111ea89bf8049a177e00fb237235d48076a19cc80097',
    ],
  ],
  'argoproj__argo-helm/.github/workflows/lint-and-test.yml': [
    [
      13,
      'ecr-public.aws.com/artifacthub/ah',
      'v1.14.0',
      'sha256:3773afcdeb5662c31576f1a9a0ee10bced7af2e80842ca06a186a50497e149a5',
    ],
  ],
  'outline__outline/.github/workflows/ci.yml': [
    [76, 'docker.io/rhysd/actionlint', '1.7.12', null],
    [116, 'docker.io/library/postgres', '14.2', null],
  ],
};

describe.skipIf(!corpus)('github-actions corpus: hand-checked dependencies', () => {
  it.each(Object.keys(expected))('%s', (path) => {
    expect(manager.filePatterns.some((p) => p.test(path))).toBe(true);
    const result = manager.extract(read(path), path);
    expect(result.errors).toBeUndefined();
    expect(depRows(result.deps)).toEqual(expected[path]);
  });

  it('sources in actions/checkout', () => {
    const path = 'actions__checkout/.github/workflows/test.yml';
    expect(manager.extract(read(path), path).deps.map((d) => d.source)).toEqual([
      'workflow-uses',
      'workflow-container',
      'workflow-service',
      'workflow-container',
    ]);
  });
});
