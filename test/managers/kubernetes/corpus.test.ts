// Hand-checked dependencies of real Kubernetes manifests from the corpus (DOCKHAND_CORPUS, see
// test/support/corpus.ts; skipped without it), each list verified by reading the file.
// fixtures.test.ts covers the same behaviours with the project's own files.
import { describe, expect, it } from 'vitest';
import { manager } from '../../../src/managers/kubernetes/index.js';
import { depRows } from '../../reference/dep-rows.js';
import type { DepRow } from '../../reference/dep-rows.js';
import { corpus, readCorpus } from '../../support/corpus.js';

const read = readCorpus;

const CONTROLLER_SHA = 'sha256:594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1';
const CERTGEN_SHA = 'sha256:01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd';

const expected: Record<string, DepRow[]> = {
  // Deployment with a digest-pinned init container, plus a ServiceAccount.
  'GoogleCloudPlatform__microservices-demo/kubernetes-manifests/loadgenerator.yaml': [
    [
      67,
      'docker.io/library/busybox',
      '1.38.0',
      'sha256:fd8d9aa63ba2f0982b5304e1ee8d3b90a210bc1ffb5314d980eb6962f1a9715d',
    ],
    [80, 'docker.io/library/loadgenerator', null, null],
  ],
  // 20 documents: only the Deployment and the two Jobs hold containers.
  'kubernetes__ingress-nginx/deploy/static/provider/kind/deploy.yaml': [
    [446, 'registry.k8s.io/ingress-nginx/controller', 'v1.15.1', CONTROLLER_SHA],
    [558, 'registry.k8s.io/ingress-nginx/kube-webhook-certgen', 'v1.6.9', CERTGEN_SHA],
    [614, 'registry.k8s.io/ingress-nginx/kube-webhook-certgen', 'v1.6.9', CERTGEN_SHA],
  ],
  // A trailing comment that itself mentions `image: redis`.
  'kubernetes__examples/web/guestbook/all-in-one/guestbook-all-in-one.yaml': [
    [38, 'registry.k8s.io/redis', 'e2e', null],
    [82, 'gcr.io/google_samples/gb-redisslave', 'v1', null],
    [135, 'gcr.io/google-samples/gb-frontend', 'v5', null],
  ],
  // A plain Pod (no apiVersion-first ordering) with two containers.
  'kubernetes__examples/_archived/storage/vitess/vttablet-pod-template.yaml': [
    [14, 'docker.io/vitess/lite', 'v2.0.0-alpha5', null],
    [80, 'docker.io/vitess/lite', 'v2.0.0-alpha5', null],
  ],
  'GoogleCloudPlatform__microservices-demo/kubernetes-manifests/cartservice.yaml': [
    [46, 'docker.io/library/cartservice', null, null],
    [118, 'docker.io/library/redis', 'alpine', null],
  ],
  'kubernetes__examples/_archived/newrelic/newrelic-daemonset.yaml': [
    [33, 'docker.io/newrelic/nrsysmond', null, null],
  ],
  'kubernetes__examples/databases/cassandra/cassandra-statefulset.yaml': [
    [21, 'gcr.io/google-samples/cassandra', 'v14', null],
  ],
  // A compose-format stack file is not a Kubernetes manifest.
  'dockersamples__example-voting-app/docker-stack.yml': [],
};

describe.skipIf(!corpus)('kubernetes corpus: hand-checked dependencies', () => {
  it.each(Object.keys(expected))('%s', (path) => {
    expect(manager.filePatterns.some((p) => p.test(path))).toBe(true);
    const result = manager.extract(read(path), path);
    expect(result.errors).toBeUndefined();
    expect(depRows(result.deps)).toEqual(expected[path]);
  });
});
