import { describe, expect, it } from 'vitest';
import { manager } from '../../../src/managers/helm-values/index.js';
import { depRows, rangeTexts } from '../../reference/dep-rows.js';

const extract = (content: string) => manager.extract(content, 'charts/app/values.yaml');
const SHA = 'sha256:' + 'c0ffee00'.repeat(8);
const U = 'unresolved-variable';

describe('helm-values file patterns', () => {
  const matches = (path: string) => manager.filePatterns.some((p) => p.test(path));
  it.each([
    'values.yaml',
    'values.yml',
    'charts/app/values.yaml',
    'charts/app/values-prod.yaml',
    'values.dev.yml',
  ])('matches %s', (path) => expect(matches(path)).toBe(true));
  it.each(['my-values.yaml', 'values.json', 'values/app.yaml', 'charts/app/templates/deployment.yaml'])(
    'does not match %s',
    (path) => expect(matches(path)).toBe(false),
  );
});

describe('helm-values extract', () => {
  it('map style: registry + repository + tag + digest, field-value ranges', () => {
    const content = `image:
  registry: ghcr.io
  repository: owner/app
  tag: "1.2.3"
  digest: '${SHA}'
sidecar:
  image:
    repository: quay.io/org/sidecar
    tag: v2  # comment
`;
    const { deps, errors } = extract(content);
    expect(errors).toBeUndefined();
    expect(depRows(deps)).toEqual([
      [3, 'ghcr.io/owner/app', '1.2.3', SHA],
      [8, 'quay.io/org/sidecar', 'v2', null],
    ]);
    expect(deps[0]!.value).toBe(`ghcr.io/owner/app:1.2.3@${SHA}`);
    expect(rangeTexts(content, deps[0]!)).toEqual({ tag: '1.2.3', digest: SHA });
    // No digest field: no digestRange (insertion points are for reference strings only).
    expect(rangeTexts(content, deps[1]!)).toEqual({ tag: 'v2' });
    expect(deps.every((d) => d.source === 'helm-values')).toBe(true);
  });

  it('numbers stay as written (`tag: 1.20` is not 1.2)', () => {
    const content = 'image:\n  repository: nginx\n  tag: 1.20\n';
    const { deps } = extract(content);
    expect(depRows(deps)).toEqual([[2, 'docker.io/library/nginx', '1.20', null]]);
    expect(rangeTexts(content, deps[0]!)).toEqual({ tag: '1.20' });
  });

  it('`image: { name | image, tag }` under image keys, and image + tag siblings', () => {
    const content = `controller:
  image:
    image: ingress-nginx/controller
    tag: v1.10.0
initImage:
  name: busybox
  tag: "1.36"
exporter:
  image: ghcr.io/oliver006/redis_exporter
  tag: v1.75.0
logstash:
  image: grafana/logstash-output-loki
  imageTag: 1.0.1
metadata:
  name: foo
  tag: bar
`;
    expect(depRows(extract(content).deps)).toEqual([
      [3, 'docker.io/ingress-nginx/controller', 'v1.10.0', null],
      [6, 'docker.io/library/busybox', '1.36', null],
      [9, 'ghcr.io/oliver006/redis_exporter', 'v1.75.0', null],
      [12, 'docker.io/grafana/logstash-output-loki', '1.0.1', null],
    ]);
  });

  it('plain `image:` strings are reference style', () => {
    const content = `job:
  image: "bats/bats:1.8.2"
initContainers:
  - name: wait
    image: busybox
  - name: pinned
    image: alpine:3.20@${SHA}
`;
    const { deps } = extract(content);
    expect(depRows(deps)).toEqual([
      [2, 'docker.io/bats/bats', '1.8.2', null],
      [5, 'docker.io/library/busybox', null, null],
      [7, 'docker.io/library/alpine', '3.20', SHA],
    ]);
    expect(deps.map((d) => rangeTexts(content, d))).toEqual([
      { tag: '1.8.2', digest: '' },
      { tag: '', digest: '' },
      { tag: '3.20', digest: SHA },
    ]);
  });

  it('empty or missing tag renders appVersion: unresolved; empty repository: empty', () => {
    const content = `a:
  image:
    repository: quay.io/prometheus/alertmanager
    tag: ""
b:
  image:
    repository: registry.k8s.io/metrics-server
c:
  image:
    repository: ""
    tag: ""
d:
  image:
    repository: ghcr.io/x/y
    tag: "{{ .Chart.AppVersion }}"
e:
  image:
    repository: ghcr.io/x/z
    tag: ""
    digest: ${SHA}
`;
    const { deps } = extract(content);
    expect(depRows(deps)).toEqual([
      [3, 'quay.io/prometheus/alertmanager', null, null, U],
      [7, 'registry.k8s.io/metrics-server', null, null, U],
      [10, '', null, null, 'empty'],
      [14, 'ghcr.io/x/y:{{ .Chart.AppVersion }}', null, null, U],
      [18, 'ghcr.io/x/z', null, SHA],
    ]);
    expect(rangeTexts(content, deps[4]!)).toEqual({ digest: SHA });
  });

  it('a tag holding `tag@digest` splits into the tag and the digest text', () => {
    const content = `image:\n  repository: bitnami/postgresql\n  tag: 11.5.0-r0@${SHA}\n`;
    const { deps } = extract(content);
    expect(depRows(deps)).toEqual([[2, 'docker.io/bitnami/postgresql', '11.5.0-r0', SHA]]);
    expect(rangeTexts(content, deps[0]!)).toEqual({ tag: '11.5.0-r0', digest: SHA });
  });

  it('invalid composed references', () => {
    const { deps } = extract(
      'image:\n  repository: Bad/Name\n  tag: "1"\nother:\n  image:\n    repository: nginx:1\n    digest: x\n',
    );
    expect(depRows(deps)).toEqual([
      [2, 'Bad/Name:1', null, null, 'invalid-reference'],
      [6, 'nginx:1@x', null, null, 'invalid-reference'],
    ]);
  });

  it('global.image.registry / global.imageRegistry is the default registry for maps without one', () => {
    const content = `global:
  image:
    registry: registry.k8s.io
a:
  image:
    image: ingress-nginx/controller
    tag: v1
b:
  image:
    registry: docker.io
    repository: library/busybox
    tag: "1"
c:
  image:
    repository: quay.io/x/y
    tag: "2"
d:
  image: plain/string:3
`;
    expect(depRows(extract(content).deps)).toEqual([
      [6, 'registry.k8s.io/ingress-nginx/controller', 'v1', null],
      [11, 'docker.io/library/busybox', '1', null],
      [15, 'quay.io/x/y', '2', null],
      [18, 'docker.io/plain/string', '3', null],
    ]);
    expect(
      depRows(extract('global:\n  imageRegistry: my.reg\nimage:\n  repository: app\n  tag: "1"\n').deps),
    ).toEqual([[4, 'my.reg/app', '1', null]]);
  });

  it('anchors and aliases are followed once', () => {
    const content = 'base: &img\n  repository: nginx\n  tag: "1.27"\na:\n  image: *img\nb:\n  image: *img\n';
    expect(depRows(extract(content).deps)).toEqual([[2, 'docker.io/library/nginx', '1.27', null]]);
  });

  it('non-image values and broken YAML', () => {
    expect(extract('replicaCount: 1\nservice:\n  type: ClusterIP\n  port: 80\n').deps).toEqual([]);
    const broken = extract('image:\n  repository: nginx\n  tag: [\n');
    expect(broken.errors?.[0]?.line).toBeGreaterThan(0);
  });
});
