// Hand-checked dependencies of the project's own manifests in test/fixtures/kubernetes: the behaviours
// corpus.test.ts pins on real-world files, in files written for the project.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manager } from '../../../src/managers/kubernetes/index.js';
import { FIXTURES } from '../../support/corpus.js';
import { depRows } from '../../reference/dep-rows.js';
import type { DepRow } from '../../reference/dep-rows.js';

const read = (path: string) => readFileSync(FIXTURES + path, 'utf8');

const BUSYBOX_SHA = 'sha256:5e2a17b83a0a84195c1d9d1d5068d22e6522a70ea0c23637d26732b8b65917f5';
const CONTROLLER_SHA = 'sha256:6ff346b2e9d1eb32e4c47ca8816cf42d72eae7b9483513174b7b518e4024f0bd';
const CERTGEN_SHA = 'sha256:fd77bbef5b9b1b6f669efe286dda3781aff0f1441c098c7c36695c61e5fcb34d';

const expected: Record<string, DepRow[]> = {
  // A Deployment with a digest-pinned init container (whose command holds a block scalar), plus a
  // ServiceAccount.
  'kubernetes/shop/loadgenerator.yaml': [
    [36, 'docker.io/library/busybox', '1.37.0', BUSYBOX_SHA],
    [42, 'docker.io/library/loadgenerator', null, null],
  ],
  // Nine documents: only the Deployment and the two Jobs hold containers (an `image` key in a
  // ConfigMap's data is no container image).
  'kubernetes/ingress/deploy.yaml': [
    [62, 'registry.k8s.io/edge/controller', 'v1.12.3', CONTROLLER_SHA],
    [79, 'registry.k8s.io/edge/certgen', 'v1.5.2', CERTGEN_SHA],
    [93, 'registry.k8s.io/edge/certgen', 'v1.5.2', CERTGEN_SHA],
  ],
  // A trailing comment that itself mentions `image: redis`.
  'kubernetes/guestbook/all-in-one.yaml': [
    [29, 'registry.k8s.io/redis', 'e2e', null],
    [53, 'gcr.io/google_samples/gb-redisslave', 'v3', null],
    [75, 'gcr.io/google-samples/gb-frontend', 'v6', null],
  ],
  // A plain Pod, `kind` before `apiVersion`, with two containers and template placeholders in text.
  'kubernetes/pod/tablet-pod.yaml': [
    [10, 'docker.io/vitess/lite', 'v21.0.4', null],
    [23, 'docker.io/vitess/lite', 'v21.0.4', null],
  ],
  'kubernetes/cache/cartservice.yaml': [
    [25, 'docker.io/library/cartservice', null, null],
    [51, 'docker.io/library/redis', 'alpine', null],
  ],
  // A DaemonSet whose container lists `image` after other keys.
  'kubernetes/agents/node-agent-daemonset.yaml': [[29, 'docker.io/acme/node-agent', null, null]],
  // A StatefulSet with a quoted apiVersion.
  'kubernetes/database/cassandra-statefulset.yaml': [[19, 'gcr.io/google-samples/cassandra', 'v14', null]],
  // A compose-format stack file is not a Kubernetes manifest.
  'kubernetes/stack/docker-stack.yml': [],
};

describe('kubernetes fixtures: hand-checked dependencies', () => {
  it.each(Object.keys(expected))('%s', (path) => {
    expect(manager.filePatterns.some((p) => p.test(path))).toBe(true);
    const result = manager.extract(read(path), path);
    expect(result.errors).toBeUndefined();
    expect(depRows(result.deps)).toEqual(expected[path]);
  });
});
