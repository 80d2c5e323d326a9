import { describe, expect, it } from 'vitest';
import { depNameOf, parseReference } from '../../src/reference/parse.js';
import type { ImageReference } from '../../src/reference/parse.js';

const SHA256 = 'sha256:' + 'a'.repeat(64);
const SHA512 = 'sha512:' + '0123456789abcdef'.repeat(8);

function ok(text: string): ImageReference {
  const result = parseReference(text);
  if ('error' in result) throw new Error(`expected ${text} to parse: ${result.error}`);
  return result;
}

describe('parseReference: valid references', () => {
  // [input, depName, tag, digest]
  const cases: [string, string, string | null, string | null][] = [
    ['nginx', 'docker.io/library/nginx', null, null],
    ['nginx:1.25', 'docker.io/library/nginx', '1.25', null],
    ['nginx:1.25-alpine3.20', 'docker.io/library/nginx', '1.25-alpine3.20', null],
    ['library/nginx:latest', 'docker.io/library/nginx', 'latest', null],
    ['docker.io/nginx', 'docker.io/library/nginx', null, null],
    ['docker.io/foo', 'docker.io/library/foo', null, null],
    ['docker.io/library/foo:1', 'docker.io/library/foo', '1', null],
    ['index.docker.io/foo', 'docker.io/library/foo', null, null],
    ['index.docker.io/bitnami/redis:7.2', 'docker.io/bitnami/redis', '7.2', null],
    ['bitnami/redis', 'docker.io/bitnami/redis', null, null],
    ['a/b/c/d', 'docker.io/a/b/c/d', null, null],
    ['ghcr.io/owner/repo:v1.2.3', 'ghcr.io/owner/repo', 'v1.2.3', null],
    ['gcr.io/distroless/static-debian12:nonroot', 'gcr.io/distroless/static-debian12', 'nonroot', null],
    ['mcr.microsoft.com/dotnet/sdk:8.0', 'mcr.microsoft.com/dotnet/sdk', '8.0', null],
    ['quay.io/prometheus/node-exporter', 'quay.io/prometheus/node-exporter', null, null],
    ['localhost/foo', 'localhost/foo', null, null],
    ['localhost/foo:dev', 'localhost/foo', 'dev', null],
    ['localhost:5000/foo/bar:1', 'localhost:5000/foo/bar', '1', null],
    ['registry.example.com:8443/team/app', 'registry.example.com:8443/team/app', null, null],
    ['my-registry:5000/app:2', 'my-registry:5000/app', '2', null],
    ['127.0.0.1:5000/app', '127.0.0.1:5000/app', null, null],
    ['[::1]:5000/app:1.0', '[::1]:5000/app', '1.0', null],
    ['[2001:db8::1]/team/app', '[2001:db8::1]/team/app', null, null],
    ['a.b/c', 'a.b/c', null, null],
    ['xn--bcher-kva.example/x', 'xn--bcher-kva.example/x', null, null],
    ['UPPER.example.com/app', 'UPPER.example.com/app', null, null],
    ['foo_bar/baz__qux', 'docker.io/foo_bar/baz__qux', null, null],
    ['foo.bar/a-b---c/d.e', 'foo.bar/a-b---c/d.e', null, null],
    ['nginx:Latest_1.x', 'docker.io/library/nginx', 'Latest_1.x', null],
    ['nginx:_private', 'docker.io/library/nginx', '_private', null],
    ['nginx:' + 'a'.repeat(128), 'docker.io/library/nginx', 'a'.repeat(128), null],
    [`nginx@${SHA256}`, 'docker.io/library/nginx', null, SHA256],
    [`nginx:1.25@${SHA256}`, 'docker.io/library/nginx', '1.25', SHA256],
    [`ghcr.io/a/b:1@${SHA512}`, 'ghcr.io/a/b', '1', SHA512],
    [`localhost:5000/app@${SHA256}`, 'localhost:5000/app', null, SHA256],
    [
      'app@blake3:' + 'ABCDEF0123456789'.repeat(2),
      'docker.io/library/app',
      null,
      'blake3:' + 'ABCDEF0123456789'.repeat(2),
    ],
    ['app@sha256+b64u.x:' + 'f'.repeat(32), 'docker.io/library/app', null, 'sha256+b64u.x:' + 'f'.repeat(32)],
  ];
  it.each(cases)('%s', (text, depName, tag, digest) => {
    const ref = ok(text);
    expect(depNameOf(ref)).toBe(depName);
    expect(ref.tag).toBe(tag);
    expect(ref.digest).toBe(digest);
  });
});

describe('parseReference: offsets', () => {
  it('tag and digest positions', () => {
    expect(ok(`nginx:1.25@${SHA256}`)).toEqual({
      registry: 'docker.io',
      repository: 'library/nginx',
      tag: '1.25',
      digest: SHA256,
      nameEnd: 5,
      tagStart: 5,
      digestStart: 10,
    });
  });
  it('port colons are not tag colons', () => {
    const ref = ok('localhost:5000/app');
    expect(ref).toMatchObject({ registry: 'localhost:5000', repository: 'app', nameEnd: 18, tagStart: null });
  });
  it('digest only', () => {
    expect(ok(`a/b@${SHA256}`)).toMatchObject({ nameEnd: 3, tagStart: null, digestStart: 3 });
  });
  it('IPv6 with tag', () => {
    expect(ok('[::1]:5000/app:1')).toMatchObject({ registry: '[::1]:5000', nameEnd: 14, tagStart: 14 });
  });
});

describe('parseReference: invalid references', () => {
  const cases: [string, RegExp][] = [
    ['', /empty reference/],
    ['Nginx', /lowercase/],
    ['docker.io/Library/nginx', /lowercase/],
    ['ghcr.io/Owner/Repo:1', /lowercase/],
    ['nginx:', /empty tag/],
    ['nginx:-tag', /invalid tag/],
    ['nginx:.tag', /invalid tag/],
    ['nginx:' + 'a'.repeat(129), /invalid tag/],
    ['nginx:a:b', /invalid repository name component "nginx:a"/],
    ['nginx@sha256:abc', /64/],
    [`nginx@sha256:${'A'.repeat(64)}`, /lower-case/],
    [`nginx@sha256:${'a'.repeat(63)}`, /64/],
    [`nginx@sha512:${'a'.repeat(64)}`, /128/],
    ['nginx@md5:' + 'a'.repeat(31), /at least 32/],
    ['nginx@:' + 'a'.repeat(64), /algorithm/],
    ['nginx@1sha:' + 'a'.repeat(64), /algorithm/],
    ['nginx@', /digest/],
    [`nginx@${SHA256}@${SHA256}`, /./],
    ['/nginx', /empty path component/],
    ['nginx/', /empty path component/],
    ['a//b', /empty path component/],
    ['-nginx', /invalid repository name component/],
    ['nginx-', /invalid repository name component/],
    ['foo..bar', /invalid repository name component/],
    ['foo___bar', /invalid repository name component/],
    ['foo bar', /invalid repository name component/],
    ['ex_ample.com/app', /invalid registry host/],
    ['-bad.example.com/app', /invalid registry host/],
    ['example.com:port/app', /invalid registry port/],
    ['example.com:/app', /invalid registry port/],
    ['[::1/app', /IPv6/],
    ['[zz::1]:5000/app', /IPv6/],
    ['[::1]x/app', /invalid registry/],
    ['[::1]', /invalid repository name/],
    [':tag', /missing repository name/],
    [`${'a'.repeat(256)}`, /255/],
    ['${IMAGE}', /invalid/],
    ['nginx:{{ .Values.tag }}', /invalid tag/],
  ];
  it.each(cases)('%s', (text, message) => {
    const result = parseReference(text);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toMatch(message);
  });

  it('a bare `localhost` is a Docker Hub repository (no slash, so no domain)', () => {
    expect(depNameOf(ok('localhost'))).toBe('docker.io/library/localhost');
  });

  it('255 characters are fine, 256 are not', () => {
    const name = 'ghcr.io/' + 'a'.repeat(247);
    expect(name.length).toBe(255);
    expect(depNameOf(ok(name))).toBe(name);
    expect(parseReference(name + 'a')).toHaveProperty('error');
  });

  it('never throws on odd input', () => {
    for (const text of ['@', ':', '::', '[]', '[', ']', '/', '@@', ':@', 'a@b@c', '\n', '\u0000', 'é/ü']) {
      expect(() => parseReference(text)).not.toThrow();
      expect(parseReference(text)).toHaveProperty('error');
    }
  });
});
