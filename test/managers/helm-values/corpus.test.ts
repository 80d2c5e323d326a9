// Hand-checked dependencies of real Helm values files from the corpus (DOCKHAND_CORPUS, see
// test/support/corpus.ts; skipped without it), each list verified by reading the file.
// fixtures.test.ts covers the same behaviours with the project's own files.
import { describe, expect, it } from 'vitest';
import { manager } from '../../../src/managers/helm-values/index.js';
import { depRows } from '../../reference/dep-rows.js';
import type { DepRow } from '../../reference/dep-rows.js';
import { corpus, readCorpus } from '../../support/corpus.js';

const read = readCorpus;
const U = 'unresolved-variable';

const expected: Record<string, DepRow[]> = {
  'minio__minio/helm/minio/values.yaml': [
    [16, 'quay.io/minio/minio', 'RELEASE.2024-12-18T13-15-44Z', null],
    [27, 'quay.io/minio/mc', 'RELEASE.2024-11-21T17-21-54Z', null],
  ],
  // `image: { image, tag, digest }` maps; the registry comes from `global.image.registry`.
  'kubernetes__ingress-nginx/charts/ingress-nginx/values.yaml': [
    [
      29,
      'registry.k8s.io/ingress-nginx/controller',
      'v1.15.1',
      'sha256:594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1',
    ],
    [
      852,
      'registry.k8s.io/ingress-nginx/kube-webhook-certgen',
      'v1.6.9',
      'sha256:01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd',
    ],
    [1031, 'registry.k8s.io/defaultbackend-amd64', '1.5', null],
  ],
  // `tag: ""` defaults to the chart's appVersion.
  'kubernetes-sigs__metrics-server/charts/metrics-server/values.yaml': [
    [6, 'registry.k8s.io/metrics-server/metrics-server', null, null, U],
    [136, 'registry.k8s.io/autoscaling/addon-resizer', '1.8.23', null],
  ],
  'prometheus-community__helm-charts/charts/prometheus-node-exporter/values.yaml': [
    [6, 'quay.io/prometheus/node-exporter', null, null, U],
    [49, 'quay.io/brancz/kube-rbac-proxy', 'v0.22.1', null],
    [553, 'quay.io/prometheus/busybox', 'latest', null],
  ],
  // A plain `image:` string, and `image` + `imageTag` siblings.
  'grafana__helm-charts/charts/loki-stack/values.yaml': [
    [3, 'docker.io/bats/bats', '1.8.2', null],
    [74, 'docker.io/grafana/logstash-output-loki', '1.0.1', null],
  ],
  'dependabot__dependabot-core/docker/spec/fixtures/helm/yaml/values.yaml': [
    [2, 'registry.example.com/nginx', '1.14.2', null],
  ],
  'argoproj__argo-helm/charts/argo-workflows/values.yaml': [
    [26, 'registry.k8s.io/kubectl', 'v1.36.2', null],
    [135, 'quay.io/argoproj/workflow-controller', null, null, U],
    [552, 'quay.io/argoproj/argoexec', null, null, U],
    [578, 'quay.io/argoproj/argocli', null, null, U],
  ],
  // File names outside the helm-values pattern, extracted directly: nested image maps, a
  // `tag@digest` value, and a `version` key (not a tag).
  'renovatebot__renovate/lib/modules/manager/helm-values/__fixtures__/multi_and_nested_image_values.yaml': [
    [7, 'docker.io/bitnami/postgresql', '11.6.0-debian-9-r0', null],
    [14, 'docker.io/bitnami/postgres-exporter', '0.7.0-debian-9-r12', null],
    [
      21,
      'docker.io/bitnami/postgresql',
      '11.5.0-debian-9-r0',
      'sha256:4762726f1471ef048dd807afdc0e19265e95ffdcc7cb4a34891f680290022809',
    ],
    [30, 'docker.io/bitnami/harbor-core', null, null, U],
  ],
  'renovatebot__renovate/lib/modules/manager/helm-values/__fixtures__/default_chart_init_values.yaml': [
    [8, 'docker.io/library/nginx', '1.16.1', null],
  ],
};

describe.skipIf(!corpus)('helm-values corpus: hand-checked dependencies', () => {
  it.each(Object.keys(expected))('%s', (path) => {
    const result = manager.extract(read(path), path);
    expect(result.errors).toBeUndefined();
    expect(depRows(result.deps)).toEqual(expected[path]);
  });

  it('file name patterns', () => {
    const matches = (path: string) => manager.filePatterns.some((p) => p.test(path));
    expect(matches('minio__minio/helm/minio/values.yaml')).toBe(true);
    expect(
      matches(
        'renovatebot__renovate/lib/modules/manager/helm-values/__fixtures__/default_chart_init_values.yaml',
      ),
    ).toBe(false);
  });
});
