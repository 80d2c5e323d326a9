import { describe, expect, it } from 'vitest';
import { composeBuildContexts, manager } from '../../../src/managers/compose/index.js';
import { depRows, rangeTexts } from '../../reference/dep-rows.js';

const extract = (content: string) => manager.extract(content, 'compose.yaml');
const SHA = 'sha256:' + 'ab'.repeat(32);

describe('compose file patterns', () => {
  const matches = (path: string) => manager.filePatterns.some((p) => p.test(path));
  it.each([
    'docker-compose.yml',
    'docker-compose.yaml',
    'compose.yaml',
    'compose.yml',
    'docker-compose.override.yml',
    'docker-compose.prod.yaml',
    'deploy/docker-compose.test.yml',
    'a/b/compose.dev.yaml',
    'Docker-Compose.YML',
    'compose-env.yaml',
  ])('matches %s', (path) => expect(matches(path)).toBe(true));
  it.each([
    'docker-compose.json',
    'my-docker-compose.yml',
    'composer.json',
    'compose/app.yaml',
    'docker-stack.yml',
    'values.yaml',
    'docker-compose.yml.bak',
  ])('does not match %s', (path) => expect(matches(path)).toBe(false));
});

describe('compose extract', () => {
  it('plain, single- and double-quoted images with exact ranges', () => {
    const content = [
      'services:',
      '  a:',
      '    image: nginx:1.25',
      '  b:',
      "    image: 'ghcr.io/owner/app:v2'  # comment",
      '  c:',
      `    image: "redis@${SHA}"`,
      '  d:',
      '    image: postgres',
      '',
    ].join('\n');
    const { deps, errors } = extract(content);
    expect(errors).toBeUndefined();
    expect(depRows(deps)).toEqual([
      [3, 'docker.io/library/nginx', '1.25', null],
      [5, 'ghcr.io/owner/app', 'v2', null],
      [7, 'docker.io/library/redis', null, SHA],
      [9, 'docker.io/library/postgres', null, null],
    ]);
    expect(deps.map((d) => rangeTexts(content, d))).toEqual([
      { tag: '1.25', digest: '' },
      { tag: 'v2', digest: '' },
      { tag: '', digest: SHA },
      { tag: '', digest: '' },
    ]);
    // Empty ranges sit at the insertion point right after the name (and after the tag).
    const pg = deps[3]!;
    expect(content.slice(pg.tagRange!.start - 'postgres'.length, pg.tagRange!.start)).toBe('postgres');
    expect(deps.every((d) => d.source === 'compose-image')).toBe(true);
  });

  it('variables are unresolved (deploy-time environment is unknown), `$$` is an escape', () => {
    const content = [
      'services:',
      '  a: { image: "${IMAGE:-nginx:1.0}" }',
      '  b: { image: "nginx:${TAG-1.0}" }',
      '  c: { image: $REGISTRY/app }',
      '  d: { image: "app$$x" }',
      '',
    ].join('\n');
    const { deps } = extract(content);
    expect(depRows(deps)).toEqual([
      [2, '${IMAGE:-nginx:1.0}', null, null, 'unresolved-variable'],
      [3, 'nginx:${TAG-1.0}', null, null, 'unresolved-variable'],
      [4, '$REGISTRY/app', null, null, 'unresolved-variable'],
      [5, 'app$$x', null, null, 'invalid-reference'],
    ]);
    expect(deps[3]!.value).toBe('app$x');
    expect(deps.some((d) => d.tagRange || d.digestRange)).toBe(false);
  });

  it('empty and missing images', () => {
    const { deps } = extract('services:\n  a:\n    image: ""\n  b:\n    image:\n  c:\n    build: .\n');
    expect(depRows(deps)).toEqual([
      [3, '', null, null, 'empty'],
      [5, '', null, null, 'empty'],
    ]);
  });

  it('an image shared through an anchor and `<<` merge keys is one dependency at the anchor', () => {
    const content = [
      'x-common: &common',
      '  image: busybox:1.36',
      '  restart: always',
      'x-other: &other',
      '  environment: {}',
      'services:',
      '  a:',
      '    <<: *common',
      '  b:',
      '    <<: [*other, *common]',
      '  c:',
      '    <<: *common',
      '    image: alpine:3.20',
      '  d:',
      '    image: *img',
      '  e:',
      '    image: &img debian:12',
      '',
    ].join('\n');
    // `d` refers to an anchor defined only later: an alias never looks forward, so no image.
    const { deps } = extract(content);
    expect(depRows(deps)).toEqual([
      [2, 'docker.io/library/busybox', '1.36', null],
      [13, 'docker.io/library/alpine', '3.20', null],
      [17, 'docker.io/library/debian', '12', null],
    ]);
  });

  it('aliases to scalars resolve to the anchored value', () => {
    const content = 'x-img: &img "nginx:1.27"\nservices:\n  a:\n    image: *img\n  b:\n    image: *img\n';
    const { deps } = extract(content);
    expect(depRows(deps)).toEqual([[1, 'docker.io/library/nginx', '1.27', null]]);
    expect(rangeTexts(content, deps[0]!)).toEqual({ tag: '1.27', digest: '' });
  });

  it('version 1 files (services at the top level)', () => {
    const content =
      'web:\n  image: nginx:1\nvolumes:\n  data: {}\nx-foo:\n  image: ignored:1\ndb:\n  image: postgres:16\n';
    expect(depRows(extract(content).deps)).toEqual([
      [2, 'docker.io/library/nginx', '1', null],
      [8, 'docker.io/library/postgres', '16', null],
    ]);
  });

  it('CRLF line endings and a byte-order mark keep offsets exact', () => {
    const content = '\uFEFFservices:\r\n  web:\r\n    image: "nginx:1.25-alpine"\r\n';
    const { deps } = extract(content);
    expect(depRows(deps)).toEqual([[3, 'docker.io/library/nginx', '1.25-alpine', null]]);
    expect(rangeTexts(content, deps[0]!)).toEqual({ tag: '1.25-alpine', digest: '' });
  });

  it('escaped, folded or block values keep the dependency but get no ranges', () => {
    const content = [
      'services:',
      '  a:',
      '    image: "ngin\\x78:1"',
      '  b:',
      '    image: |',
      '      redis:7',
      '  c:',
      "    image: 'it''s'",
      '',
    ].join('\n');
    const { deps } = extract(content);
    expect(depRows(deps)).toEqual([
      [3, 'docker.io/library/nginx', '1', null],
      [5, 'docker.io/library/redis', '7', null],
      [8, "it's", null, null, 'invalid-reference'],
    ]);
    expect(deps[0]).not.toHaveProperty('tagRange');
    expect(deps[1]).not.toHaveProperty('tagRange');
  });

  it('reports YAML errors with a line and keeps what it could read', () => {
    const { deps, errors } = extract('services:\n  a:\n    image: nginx:1\n  b:\n\timage: x\n');
    expect(errors?.[0]?.line).toBe(5);
    expect(errors?.[0]?.message).toMatch(/^YAML: /);
    expect(depRows(deps)[0]).toEqual([3, 'docker.io/library/nginx', '1', null]);
  });

  it('ignores files without services and non-map documents', () => {
    expect(extract('include:\n  - other.yaml\n').deps).toEqual([]);
    expect(extract('- a\n- b\n').deps).toEqual([]);
    expect(extract('').deps).toEqual([]);
    expect(extract('services: 3\n').deps).toEqual([]);
  });
});

describe('composeBuildContexts', () => {
  it('resolves contexts and Dockerfiles against the compose file folder', () => {
    const content = [
      'services:',
      '  api:',
      '    build: ./api',
      '  web:',
      '    build:',
      '      context: ../web',
      '      dockerfile: docker/Dockerfile.prod',
      '  worker:',
      '    image: worker:1',
      '    build:',
      '      dockerfile: Containerfile',
      '  inline:',
      '    build:',
      '      context: .',
      '      dockerfile_inline: |',
      '        FROM alpine',
      '  remote:',
      '    build: https://github.com/docker/rootfs.git#main',
      '  db:',
      '    image: postgres:16',
      '',
    ].join('\n');
    expect(composeBuildContexts(content, 'deploy/compose.yaml')).toEqual([
      { service: 'api', context: 'deploy/api', dockerfile: 'deploy/api/Dockerfile', remote: false, line: 3 },
      { service: 'web', context: 'web', dockerfile: 'web/docker/Dockerfile.prod', remote: false, line: 6 },
      { service: 'worker', context: 'deploy', dockerfile: 'deploy/Containerfile', remote: false, line: 11 },
      {
        service: 'remote',
        context: 'https://github.com/docker/rootfs.git#main',
        dockerfile: 'Dockerfile',
        remote: true,
        line: 18,
      },
    ]);
  });

  it('compose files at the repository root', () => {
    expect(composeBuildContexts('services:\n  a:\n    build: .\n', 'compose.yml')).toEqual([
      { service: 'a', context: '.', dockerfile: 'Dockerfile', remote: false, line: 3 },
    ]);
  });

  it('build contexts are not dependencies, but part of the extraction result', () => {
    const result = manager.extract('services:\n  a:\n    build: .\n', 'compose.yml');
    expect(result.deps).toEqual([]);
    expect(result.builds).toHaveLength(1);
  });
});
