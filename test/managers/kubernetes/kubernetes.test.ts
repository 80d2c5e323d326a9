import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manager } from '../../../src/managers/kubernetes/index.js';
import { yamlManagers } from '../../../src/managers/yaml-order.js';
import { depRows, rangeTexts } from '../../reference/dep-rows.js';

const extract = (content: string) => manager.extract(content, 'k8s/app.yaml');
const SHA = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('kubernetes file patterns and YAML manager order', () => {
  const matches = (path: string) => manager.filePatterns.some((p) => p.test(path));
  it.each([
    'deploy.yaml',
    'k8s/app.yml',
    'manifests/base/Deployment.YAML',
    'charts/x/templates/deployment.yaml',
  ])('matches %s', (path) => expect(matches(path)).toBe(true));
  it.each([
    'docker-compose.yml',
    'deploy/compose.prod.yaml',
    '.github/workflows/ci.yml',
    'sub/.github/workflows/ci.yaml',
    'values.yaml',
    'charts/app/values-prod.yaml',
    'Dockerfile',
    'app.json',
    'k8s.yaml.txt',
  ])('does not match %s', (path) => expect(matches(path)).toBe(false));

  it('yamlManagers: compose, github-actions, helm-values, kubernetes (first match wins)', () => {
    expect(yamlManagers.map((m) => m.name)).toEqual([
      'compose',
      'github-actions',
      'helm-values',
      'kubernetes',
    ]);
    const owner = (path: string) => yamlManagers.find((m) => m.filePatterns.some((p) => p.test(path)))?.name;
    expect(owner('docker-compose.yml')).toBe('compose');
    expect(owner('.github/workflows/build.yml')).toBe('github-actions');
    expect(owner('charts/app/values.yaml')).toBe('helm-values');
    expect(owner('k8s/deployment.yaml')).toBe('kubernetes');
    expect(owner('README.md')).toBeUndefined();
  });
});

describe('kubernetes extract', () => {
  it('all workload kinds, all container lists, multi-document', () => {
    const content = `apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  initContainers:
    - name: init
      image: busybox:1.36
  containers:
    - name: app
      image: "nginx:1.27@${SHA}"
  ephemeralContainers:
    - name: debug
      image: 'alpine'
---
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/a/deploy:1
---
apiVersion: apps/v1
kind: StatefulSet
spec: { template: { spec: { containers: [ { name: s, image: ghcr.io/a/sts:2 } ] } } }
---
apiVersion: apps/v1
kind: DaemonSet
spec:
  template:
    spec:
      containers: [{ image: ghcr.io/a/ds:3 }]
---
apiVersion: apps/v1
kind: ReplicaSet
spec:
  template:
    spec:
      containers: [{ image: ghcr.io/a/rs:4 }]
---
apiVersion: batch/v1
kind: Job
spec:
  template:
    spec:
      containers: [{ image: ghcr.io/a/job:5 }]
---
apiVersion: batch/v1
kind: CronJob
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - image: ghcr.io/a/cron:6
...
`;
    const { deps, errors } = extract(content);
    expect(errors).toBeUndefined();
    expect(depRows(deps)).toEqual([
      [7, 'docker.io/library/busybox', '1.36', null],
      [10, 'docker.io/library/nginx', '1.27', SHA],
      [13, 'docker.io/library/alpine', null, null],
      [21, 'ghcr.io/a/deploy', '1', null],
      [25, 'ghcr.io/a/sts', '2', null],
      [32, 'ghcr.io/a/ds', '3', null],
      [39, 'ghcr.io/a/rs', '4', null],
      [46, 'ghcr.io/a/job', '5', null],
      [56, 'ghcr.io/a/cron', '6', null],
    ]);
    expect(deps.every((d) => d.source === 'kubernetes-image')).toBe(true);
    expect(rangeTexts(content, deps[1]!)).toEqual({ tag: '1.27', digest: SHA });
    expect(rangeTexts(content, deps[2]!)).toEqual({ tag: '', digest: '' });
    expect(deps[2]!.tagRange!.start).toBe(content.indexOf("'alpine'") + 1 + 'alpine'.length);
  });

  it('List objects, and only documents with apiVersion and kind', () => {
    const content = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    spec: { containers: [{ image: redis:7 }] }
---
kind: Pod
spec: { containers: [{ image: no-api-version:1 }] }
---
apiVersion: v1
spec: { containers: [{ image: no-kind:1 }] }
---
apiVersion: v1
kind: Service
spec: { containers: [{ image: not-a-workload:1 }] }
---
apiVersion: example.com/v1
kind: Widget
spec: { template: { spec: { containers: [{ image: custom-resource:1 }] } } }
`;
    expect(depRows(extract(content).deps)).toEqual([[6, 'docker.io/library/redis', '7', null]]);
  });

  it('images outside pod specs are not container images', () => {
    const content = `apiVersion: v1
kind: ConfigMap
data:
  image: nginx:1
---
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    image: nginx:2
spec:
  template:
    spec:
      containers: []
`;
    expect(extract(content).deps).toEqual([]);
  });

  it('non-Kubernetes YAML gives no deps and no errors', () => {
    for (const content of [
      'image: node:20\nstages: [build]\nbuild:\n  image: golang:1.22\n  script: [make]\n',
      'apiVersion: v2\nname: mychart\nversion: 1.0.0\n',
      'site_name: docs\nnav:\n  - Home: index.md\n',
      'key: [unclosed\n',
      '',
    ]) {
      expect(extract(content)).toEqual({ deps: [] });
    }
  });

  it('unparseable manifests are reported with a line', () => {
    const content = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: nginx:1\n   bad: [\n';
    const { errors } = extract(content);
    expect(errors?.length).toBeGreaterThan(0);
    expect(errors?.[0]?.line).toBeGreaterThanOrEqual(5);
  });

  it('Helm chart templates fall back to a line scan of `image:` keys', () => {
    const content = readFileSync(new URL('fixtures/deployment-template.yaml', import.meta.url), 'utf8');
    const { deps, errors } = manager.extract(content, 'charts/app/templates/deployment.yaml');
    expect(errors).toBeUndefined();
    expect(depRows(deps)).toEqual([
      [16, 'docker.io/library/busybox', '1.36', null],
      [
        19,
        '{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}',
        null,
        null,
        'unresolved-variable',
      ],
      [22, 'ghcr.io/example/sidecar', 'v2', SHA],
      [24, '{{ .Values.sidecar.image }}', null, null, 'unresolved-variable'],
    ]);
    expect(rangeTexts(content, deps[0]!)).toEqual({ tag: '1.36', digest: '' });
    expect(rangeTexts(content, deps[2]!)).toEqual({ tag: 'v2', digest: SHA });
  });
});
