// Hand-checked dependencies of the project's own compose files in test/fixtures/compose: the behaviours
// corpus.test.ts pins on real-world files, in files written for the project.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeBuildContexts, manager } from '../../../src/managers/compose/index.js';
import { FIXTURES } from '../../support/corpus.js';
import { depRows } from '../../reference/dep-rows.js';
import type { DepRow } from '../../reference/dep-rows.js';

const read = (path: string) => readFileSync(FIXTURES + path, 'utf8');
const U = 'unresolved-variable';

const expected: Record<string, DepRow[]> = {
  // Anchors + `<<` merge keys (single and lists): the images of x-worker-defaults (line 13) and
  // x-api-defaults (line 23) are reported once each, at the anchor; quoted values; a digest pin;
  // `$VAR` images, once per service that names them.
  'compose/anchors/docker-compose.yml': [
    [13, '$WORKER_IMAGE', null, null, U],
    [23, 'ghcr.io/acme/api', '2.14.0', null],
    [29, 'registry.gitlab.com/acme-infra/relay', null, null],
    [32, 'docker.io/valkey/valkey', '8.1-alpine', null],
    [38, 'docker.io/library/postgres', '16.9-bookworm', null],
    [
      48,
      'docker.io/minio/minio',
      'RELEASE.2025-04-22T22-12-26Z',
      'sha256:8705c6468bb237d3adb49976d19da46761649e670fcf14fe0ed511b2d2414356',
    ],
    [65, '$SCHEDULER_IMAGE', null, null, U],
    [68, '$SCHEDULER_IMAGE', null, null, U],
    [74, 'docker.io/library/nginx', '1.27.5-alpine', null],
  ],
  // A trailing comment after the image value; a commented-out service; a commented-out `#image:` line
  // after a single-quoted image; the same untagged image in two services.
  'compose/comments/docker-compose.yml': [
    [3, 'docker.io/library/traefik', '3.4', null],
    [12, 'docker.io/library/rabbitmq', '4.1-management', null],
    [18, 'docker.io/axllent/mailpit', null, null],
    [20, 'docker.io/library/redis', null, null],
    [24, 'docker.io/library/redis', null, null],
  ],
  // Version 1 format: services at the top level.
  'compose/v1/docker-compose.yml': [
    [3, 'quay.io/acme/redis', '7-alpine', null],
    [7, 'docker.io/library/node', '20.19.1', null],
    [13, '${WORKER_IMAGE:-acme/worker}:${WORKER_TAG:-latest}', null, null, U],
    [16, 'docker.io/library/app-local-debug', null, null],
  ],
  // A default value holding a whole reference is still a variable.
  'compose/default-value/docker-compose.yml': [[4, '${CACHE_IMAGE:-redis:7.4.2@sha256:abcd}', null, null, U]],
  // The anchor sits on its own line before the map (`x-pipeline-common:\n  &pipeline-common`).
  'compose/anchor-own-line/docker-compose.yaml': [
    [3, '${PIPELINE_IMAGE:-acme/pipeline:|version|}', null, null, U],
    [16, 'docker.io/library/postgres', '13', null],
    [20, 'docker.io/library/redis', 'latest', null],
  ],
  // Services using `extends` without their own image contribute nothing.
  'compose/extends/docker-compose.yml': [
    [3, '${IMAGE_PREFIX:-}postgres:15-alpine', null, null, U],
    [6, '$REGISTRY:$APP_TAG', null, null, U],
    [13, '$REGISTRY:$APP_TAG', null, null, U],
  ],
  'compose/registries/compose.yaml': [
    [3, 'docker.io/library/mongo', '8.0', null],
    [7, 'docker.io/library/mysql', '8.4-oracle', null],
    [11, 'docker.io/pgvector/pgvector', 'pg17', null],
    [13, 'docker.io/cockroachdb/cockroach', 'latest-v25.1', null],
    [16, 'mcr.microsoft.com/mssql/server', '2022-CU19-ubuntu-22.04', null],
    [20, 'container-registry.oracle.com/database/free', 'latest-lite', null],
  ],
  // `db` and `queue` sit outside `services:` (Compose rejects the file); only `services.web` is a service.
  'compose/broken/docker-compose.bad.yml': [[5, 'docker.io/library/httpd', 'latest', null]],
  // A leading `---`, comments between keys, one image in two services.
  'compose/multi/compose.yaml': [
    [6, 'docker.io/library/mariadb', 'lts', null],
    [11, 'docker.io/library/wordpress', 'php8.3-apache', null],
    [15, 'docker.io/library/wordpress', 'php8.3-apache', null],
  ],
};

describe('compose fixtures: hand-checked dependencies', () => {
  it.each(Object.keys(expected))('%s', (path) => {
    expect(manager.filePatterns.some((p) => p.test(path))).toBe(true);
    const result = manager.extract(read(path), path);
    expect(result.errors).toBeUndefined();
    expect(depRows(result.deps)).toEqual(expected[path]);
  });
});

describe('compose fixtures: build contexts', () => {
  it('one entry per building service, merged `build` maps included, an override winning', () => {
    const path = 'compose/build-contexts/compose.yaml';
    expect(composeBuildContexts(read(path), path)).toEqual([
      {
        service: 'web',
        context: 'compose/build-contexts/app',
        dockerfile: 'compose/build-contexts/app/Dockerfile',
        remote: false,
        line: 4,
      },
      {
        service: 'jobs',
        context: 'compose/build-contexts/app',
        dockerfile: 'compose/build-contexts/app/Dockerfile',
        remote: false,
        line: 4,
      },
      {
        service: 'cron',
        context: 'compose/build-contexts/cron',
        dockerfile: 'compose/build-contexts/cron/Dockerfile.cron',
        remote: false,
        line: 18,
      },
    ]);
  });
});
