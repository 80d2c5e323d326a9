// Hand-checked dependencies of the project's own Helm values files in test/fixtures/helm: the behaviours
// corpus.test.ts pins on real-world charts, in files written for the project.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manager } from '../../../src/managers/helm-values/index.js';
import { FIXTURES } from '../../support/corpus.js';
import { depRows } from '../../reference/dep-rows.js';
import type { DepRow } from '../../reference/dep-rows.js';

const read = (path: string) => readFileSync(FIXTURES + path, 'utf8');
const U = 'unresolved-variable';

const expected: Record<string, DepRow[]> = {
  // `repository` holding the registry, and a second image map under another key.
  'helm/object-store/values.yaml': [
    [7, 'quay.io/acme/objstore', 'RELEASE.2025-03-12T18-04-18Z', null],
    [16, 'quay.io/acme/objstore-client', 'RELEASE.2025-02-15T10-36-16Z', null],
  ],
  // `image: { image, tag, digest }` maps; the registry comes from `global.image.registry`; a
  // `digestChroot` and commented-out image maps are ignored.
  'helm/ingress/values.yaml': [
    [
      14,
      'registry.k8s.io/edge/controller',
      'v1.12.3',
      'sha256:622cf5f46346aff1c6d03185eb1e3dd67e751311296b0a503be7069c2a900d4d',
    ],
    [
      36,
      'registry.k8s.io/edge/webhook-certgen',
      'v1.5.2',
      'sha256:6ac665b3919be583250e9b7c61007b324d743a4054e3961e6a6f63ab734fcd86',
    ],
    [46, 'registry.k8s.io/defaultbackend-amd64', '1.5', null],
  ],
  // `tag: ""` defaults to the chart's appVersion.
  'helm/metrics/values.yaml': [
    [4, 'registry.k8s.io/metrics/metrics-api', null, null, U],
    [14, 'registry.k8s.io/autoscaling/addon-resizer', '1.8.23', null],
  ],
  // registry + repository + tag maps, an empty tag and empty `digest` / `sha` fields.
  'helm/node-exporter/values.yaml': [
    [4, 'quay.io/prometheus/node-exporter', null, null, U],
    [16, 'quay.io/brancz/kube-rbac-proxy', 'v0.19.1', null],
    [25, 'quay.io/prometheus/busybox', 'latest', null],
  ],
  // A plain `image:` string, and `image` + `imageTag` siblings.
  'helm/logs/values.yaml': [
    [3, 'docker.io/bats/bats', '1.11.1', null],
    [13, 'docker.io/grafana/log-forwarder', '2.1.0', null],
  ],
  // A common `images.tag` is no image; maps whose tag defaults to it stay unresolved.
  'helm/workflows/values.yaml': [
    [14, 'registry.k8s.io/kubectl', 'v1.33.1', null],
    [22, 'quay.io/acme/workflow-controller', null, null, U],
    [30, 'quay.io/acme/workflow-executor', null, null, U],
    [37, 'quay.io/acme/workflow-server', null, null, U],
  ],
  // The registry after the tag, a single-quoted repository, an unrelated `tag` key.
  'helm/registry-last/values.yaml': [[4, 'registry.example.com/httpd', '2.4.63', null]],
  // A file name outside the helm-values pattern, extracted directly: nested image maps, image maps in a
  // sequence, a `tag@digest` value, and a `version` key (not a tag); `inline_image` is no image key.
  'helm/nested/nested_image_values.yaml': [
    [7, 'docker.io/bitnami/postgresql', '16.6.0-debian-12-r2', null],
    [13, 'docker.io/bitnami/postgres-exporter', '0.17.1-debian-12-r3', null],
    [
      20,
      'docker.io/bitnami/postgresql',
      '16.5.0-debian-12-r1',
      'sha256:c3e0b4ee93fea736e0aed266ded3a577607e24da489a3d6a96c33a0416c09021',
    ],
    [29, 'docker.io/bitnami/harbor-core', null, null, U],
  ],
  'helm/starter/values.yaml': [[7, 'docker.io/library/nginx', '1.27.4', null]],
};

describe('helm-values fixtures: hand-checked dependencies', () => {
  it.each(Object.keys(expected))('%s', (path) => {
    const result = manager.extract(read(path), path);
    expect(result.errors).toBeUndefined();
    expect(depRows(result.deps)).toEqual(expected[path]);
  });

  it('file name patterns', () => {
    const matches = (path: string) => manager.filePatterns.some((p) => p.test(path));
    expect(matches('helm/object-store/values.yaml')).toBe(true);
    expect(matches('helm/nested/nested_image_values.yaml')).toBe(false);
  });
});
