// Hand-checked dependencies of real compose files from the corpus (DOCKHAND_CORPUS, see
// test/support/corpus.ts; skipped without it), each list verified against the file by reading it.
// fixtures.test.ts covers the same behaviours with the project's own files.
import { describe, expect, it } from 'vitest';
import { composeBuildContexts, manager } from '../../../src/managers/compose/index.js';
import { depRows } from '../../reference/dep-rows.js';
import type { DepRow } from '../../reference/dep-rows.js';
import { corpus, readCorpus } from '../../support/corpus.js';

const read = readCorpus;
const U = 'unresolved-variable';
const B = 'build-output';

const expected: Record<string, DepRow[]> = {
  'nextcloud__docker/.examples/docker-compose/insecure/mariadb/apache/compose.yaml': [
    [7, 'docker.io/library/mariadb', 'lts', null],
    [22, 'docker.io/library/redis', 'alpine', null],
    [26, 'docker.io/library/nextcloud', 'apache', null],
    [43, 'docker.io/library/nextcloud', 'apache', null],
  ],
  // Anchors + `<<` merge keys: x-sentry-defaults (line 47) and x-snuba-defaults (line 110) are
  // shared by many services and reported once each; quoted values; a digest pin; `$VAR` images. The
  // `*-self-hosted-local` images are what the services' builds produce (the sentry defaults carry
  // their `build` along).
  'getsentry__self-hosted/docker-compose.yml': [
    [47, 'docker.io/library/sentry-self-hosted-local', null, null, B],
    [110, '$SNUBA_IMAGE', null, null, U],
    [126, 'registry.gitlab.com/egos-tech/smtp', null, null],
    [138, 'docker.io/library/memcached', '1.6.45-alpine', null],
    [146, 'docker.io/valkey/valkey', '8.1.9-alpine', null],
    [164, 'docker.io/library/postgres', '14.24-bookworm', null],
    [178, 'docker.io/edoburu/pgbouncer', 'v1.25.2-p0', null],
    [197, 'docker.io/confluentinc/cp-kafka', '7.6.13', null],
    [238, 'docker.io/library/clickhouse-self-hosted-local', null, null, B],
    [
      276,
      'docker.io/chrislusf/seaweedfs',
      '4.40_large_disk',
      'sha256:d07aa1dae03c687e0737b86130ded1b18474211a09e85d737fbe5508b8805139',
    ],
    [448, '$SYMBOLICATOR_IMAGE', null, null, U],
    [463, '$SYMBOLICATOR_IMAGE', null, null, U],
    [599, 'docker.io/library/sentry-cleanup-self-hosted-local', null, null, B],
    [610, 'docker.io/library/nginx', '1.31.3-alpine', null],
    [633, '$RELAY_IMAGE', null, null, U],
    [654, '$TASKBROKER_IMAGE', null, null, U],
    [683, '$LAUNCHPAD_IMAGE', null, null, U],
    [706, '$VROOM_IMAGE', null, null, U],
    [731, '$UPTIME_CHECKER_IMAGE', null, null, U],
  ],
  // A trailing comment after the image value; a commented-out service.
  'appwrite__appwrite/tests/resources/docker/docker-compose.yml': [
    [3, 'docker.io/library/traefik', '3.6', null],
    [337, 'docker.io/appwrite/mariadb', '1.2.0', null],
    [355, 'docker.io/djfarrelly/maildev', null, null],
    [374, 'docker.io/library/redis', '5.0', null],
  ],
  // Version 1 format: services at the top level; `debugapp` builds `app-local-debug`.
  'renovatebot__renovate/lib/modules/manager/docker-compose/__fixtures__/docker-compose.1.yml': [
    [2, 'quay.io/something/redis', 'alpine', null],
    [14, 'docker.io/library/node', '10.0.0', null],
    [17, 'docker.io/library/postgres', '9.4.0', null],
    [25, 'docker.io/dockersamples/examplevotingapp_vote', 'before', null],
    [38, 'docker.io/dockersamples/examplevotingapp_result', 'before', null],
    [52, 'docker.io/dockersamples/examplevotingapp_worker', null, null],
    [66, 'docker.io/dockersamples/visualizer', 'stable', null],
    [77, '${IMAGE:-synkodevelopers/edplugins}:${TAG:-latest}', null, null, U],
    [80, 'docker.io/library/app-local-debug', null, null, B],
  ],
  'renovatebot__renovate/lib/modules/manager/docker-compose/__fixtures__/docker-compose.3-default-val.yml': [
    [4, '${REDIS_IMAGE:-redis:5.0.0@sha256:abcd}', null, null, U],
  ],
  // Two x- anchors merged into two services each.
  'n8n-io__n8n-hosting/docker-compose/withPostgresAndWorker/docker-compose.yml': [
    [8, 'docker.n8n.io/n8nio/n8n:${N8N_VERSION}', null, null, U],
    [34, 'n8nio/runners:${N8N_VERSION}', null, null, U],
    [40, 'docker.io/library/postgres', '16', null],
    [58, 'docker.io/library/redis', '7-alpine', null],
  ],
  // The anchor sits on its own line before the map (`x-airflow-common:\n  &airflow-common`).
  'apache__airflow/docs/apache-airflow/howto/docker-compose/docker-compose.yaml': [
    [52, '${AIRFLOW_IMAGE_NAME:-apache/airflow:|version|}', null, null, U],
    [87, 'docker.io/library/postgres', '13', null],
    [102, 'docker.io/library/redis', 'latest', null],
  ],
  // Services using `extends` without their own image contribute nothing.
  'PostHog__posthog/docker-compose.hobby.yml': [
    [17, '${DOCKER_REGISTRY_PREFIX:-}postgres:12-alpine', null, null, U],
    [91, '$REGISTRY_URL:$POSTHOG_APP_TAG', null, null, U],
    [99, '$REGISTRY_URL:$POSTHOG_APP_TAG', null, null, U],
    [126, '$REGISTRY_URL:$POSTHOG_APP_TAG', null, null, U],
    [180, '$REGISTRY_URL:$POSTHOG_APP_TAG', null, null, U],
    [225, '$REGISTRY_URL:$POSTHOG_APP_TAG', null, null, U],
  ],
  'mikro-orm__mikro-orm/docker-compose.yml': [
    [3, 'docker.io/library/mongo', '8.3', null],
    [17, 'docker.io/library/mysql', '9.0-oracle', null],
    [36, 'docker.io/library/mariadb', '12', null],
    [47, 'docker.io/pgvector/pgvector', 'pg16', null],
    [58, 'docker.io/imresamu/postgis', '16-3.4', null],
    [69, 'docker.io/cockroachdb/cockroach', 'latest-v24.3', null],
    [81, 'mcr.microsoft.com/mssql/server', '2025-CU8-ubuntu-24.04', null],
    [100, 'container-registry.oracle.com/database/free', 'latest-lite', null],
  ],
  // A commented-out `#image:` line right after a single-quoted image.
  'redis__go-redis/example/otel/docker-compose.yml': [
    [3, 'docker.io/clickhouse/clickhouse-server', '25.3.5', null],
    [21, 'docker.io/library/postgres', '17-alpine', null],
    [39, 'docker.io/uptrace/uptrace', '2.0.0', null],
    [54, 'docker.io/otel/opentelemetry-collector-contrib', '0.123.0', null],
    [63, 'docker.io/timberio/vector', '0.28.X-alpine', null],
    [68, 'docker.io/axllent/mailpit', null, null],
    [82, 'docker.io/library/redis', null, null],
    [86, 'docker.io/library/redis', null, null],
  ],
  'dockersamples__example-voting-app/docker-compose.images.yml': [
    [9, 'docker.io/dockersamples/examplevotingapp_vote', null, null],
    [20, 'docker.io/dockersamples/examplevotingapp_result', null, null],
    [31, 'docker.io/dockersamples/examplevotingapp_worker', null, null],
    [41, 'docker.io/library/redis', 'alpine', null],
    [51, 'docker.io/library/postgres', '15-alpine', null],
  ],
  // Services with `build` and `image`: the image is what the build produces.
  'docker__awesome-compose/wasmedge-kafka-mysql/compose.yml': [
    [3, 'docker.redpanda.com/vectorized/redpanda', 'v22.2.2', null],
    [22, 'docker.io/library/etl-kafka', null, null, B], // `build:` after `image:`
    [34, 'docker.io/library/mariadb', '10.9', null],
  ],
  'celery__celery/docker/docker-compose.yml': [
    [8, 'docker.io/celery/celery', 'dev', null, B], // `image:` after `build:`
    [28, 'docker.io/library/rabbitmq', 'management', null],
    [31, 'docker.io/library/redis', 'latest', null],
    [34, 'docker.io/amazon/dynamodb-local', 'latest', null],
    [37, 'mcr.microsoft.com/azure-storage/azurite', 'latest', null],
    [40, 'docker.io/celery/docs', null, null, B],
  ],
  'saleor__saleor/.devcontainer/docker-compose.yml': [
    [3, 'docker.io/library/saleor', null, null, B],
    [19, 'ghcr.io/saleor/saleor-dashboard', '3.23', null],
    [25, 'docker.io/library/postgres', '15-alpine', null],
    [36, 'docker.io/valkey/valkey', '8.1-alpine', null],
    [44, 'docker.io/axllent/mailpit', null, null],
  ],
  'chrisguest75__docker_examples/59_composev2/docker-compose.yaml': [
    [3, 'docker.io/library/nginx', '1.20.1', null],
    [20, 'docker.io/library/59_composev2_ubuntu', null, null, B],
    [36, 'docker.io/library/59_composev2_timeout', null, null, B],
  ],
  // `build: .` (a string) beside the image; `webapp` builds without naming an image.
  'docker__buildx/hack/demo-env/examples/compose/docker-compose.yml': [
    [7, 'docker.io/tonistiigi/db', null, null, B],
  ],
  // A broken hobby file: `db` and `redis` sit outside `services:` (Compose rejects the file); only
  // `services.web` is a service.
  'wymmsy__Cloud_technologies_and_services/lab2_star/docker-compose.bad.yml': [
    [4, 'docker.io/library/nginx', 'latest', null],
  ],
};

describe.skipIf(!corpus)('compose corpus: hand-checked dependencies', () => {
  it.each(Object.keys(expected))('%s', (path) => {
    expect(manager.filePatterns.some((p) => p.test(path))).toBe(true);
    const result = manager.extract(read(path), path);
    expect(result.errors).toBeUndefined();
    expect(depRows(result.deps)).toEqual(expected[path]);
  });
});

describe.skipIf(!corpus)('compose corpus: build contexts', () => {
  it('getsentry/self-hosted: one entry per building service, merged `build` maps included', () => {
    const path = 'getsentry__self-hosted/docker-compose.yml';
    const contexts = composeBuildContexts(read(path), path);
    expect(contexts[0]).toEqual({
      service: 'clickhouse',
      context: 'getsentry__self-hosted/clickhouse',
      dockerfile: 'getsentry__self-hosted/clickhouse/Dockerfile',
      remote: false,
      line: 240,
    });
    expect(contexts.find((c) => c.service === 'web')).toMatchObject({
      context: 'getsentry__self-hosted/sentry',
      line: 51,
    });
    // sentry-cleanup merges the sentry defaults but overrides `build`.
    expect(contexts.find((c) => c.service === 'sentry-cleanup')).toMatchObject({
      dockerfile: 'getsentry__self-hosted/cron/Dockerfile',
      line: 601,
    });
    expect(new Set(contexts.map((c) => c.context))).toEqual(
      new Set([
        'getsentry__self-hosted/clickhouse',
        'getsentry__self-hosted/sentry',
        'getsentry__self-hosted/cron',
      ]),
    );
  });
});
