import { describe, expect, it } from 'vitest';
import { findRegistry } from '../../../src/datasources/npm/auth.js';
import { isValidPackageName, packumentUrl, registryBase } from '../../../src/datasources/npm/names.js';
import { readPackument } from '../../../src/datasources/npm/packument.js';
import { repositoryUrl, webUrl } from '../../../src/datasources/npm/source-url.js';

describe('package names', () => {
  it.each([
    ['left-pad', true],
    ['@scope/name', true],
    ['@types/node', true],
    ['JSONStream', true], // legacy upper case still resolves
    ['lodash.merge', true],
    ['', false],
    ['.hidden', false],
    ['_private', false],
    ['../etc/passwd', false],
    ['a/b', false],
    ['@scope/', false],
    ['@scope/a/b', false],
    ['name?x=1', false],
    ['name#frag', false],
    ['na me', false],
    ['a'.repeat(215), false],
  ])('%s → %s', (name, valid) => {
    expect(isValidPackageName(name)).toBe(valid);
  });
});

describe('packument URLs', () => {
  it.each([
    ['https://registry.npmjs.org', 'left-pad', 'https://registry.npmjs.org/left-pad'],
    ['https://registry.npmjs.org/', '@scope/name', 'https://registry.npmjs.org/@scope%2fname'],
    ['https://nexus.corp/repository/npm', '@a/b', 'https://nexus.corp/repository/npm/@a%2fb'],
    ['https://nexus.corp/repository/npm/', 'x', 'https://nexus.corp/repository/npm/x'],
    ['http://127.0.0.1:4873/', 'x', 'http://127.0.0.1:4873/x'],
  ])('%s + %s → %s', (registry, name, url) => {
    expect(packumentUrl(registryBase(registry)!, name).href).toBe(url);
  });

  it.each([
    'file:///etc/',
    'ftp://registry/',
    'https://user:pass@registry.corp/',
    'https://registry.corp/?token=x',
    'https://registry.corp/#x',
    'not a url',
  ])('refuses the registry URL %s', (registry) => {
    expect(registryBase(registry)).toBeNull();
  });
});

describe('operator registries', () => {
  const registries = [
    { url: 'https://npm.corp/', authorization: 'Bearer root' },
    { url: 'https://npm.corp/repository/private', authorization: 'Bearer deep' },
    { url: 'http://plain.corp:8080/' },
  ];
  const find = (url: string) => findRegistry(registries, registryBase(url)!)?.authorization;

  it('matches the longest configured prefix on the same origin', () => {
    expect(find('https://npm.corp/')).toBe('Bearer root');
    expect(find('https://npm.corp/repository/private/')).toBe('Bearer deep');
    expect(find('https://npm.corp/repository/privateer/')).toBe('Bearer root');
  });

  it('never matches another scheme, host or port', () => {
    expect(find('http://npm.corp/')).toBeUndefined();
    expect(find('https://npm.corp:8443/')).toBeUndefined();
    expect(find('https://npm.corp.evil.example/')).toBeUndefined();
    expect(findRegistry(registries, registryBase('http://plain.corp:8080/x/')!)).toEqual(registries[2]);
  });
});

describe('source links', () => {
  it.each([
    ['git+https://github.com/expressjs/express.git', 'https://github.com/expressjs/express'],
    [{ type: 'git', url: 'git+https://github.com/a/b.git' }, 'https://github.com/a/b'],
    ['git://github.com/a/b.git', 'https://github.com/a/b'],
    ['git+ssh://git@github.com/a/b.git', 'https://github.com/a/b'],
    ['git@gitlab.com:group/sub/proj.git', 'https://gitlab.com/group/sub/proj'],
    ['github:a/b', 'https://github.com/a/b'],
    ['gitlab:a/b', 'https://gitlab.com/a/b'],
    ['a/b', 'https://github.com/a/b'],
    ['https://user:token@github.com/a/b.git', 'https://github.com/a/b'],
    ['https://github.com/a/b/tree/main/packages/c', 'https://github.com/a/b/tree/main/packages/c'],
    ['javascript:alert(1)', null],
    ['file:///etc/passwd', null],
    [{ url: 42 }, null],
    [null, null],
    [`https://x.example/${'a'.repeat(3000)}`, null],
  ])('repository %j → %s', (repository, url) => {
    expect(repositoryUrl(repository)).toBe(url);
  });

  it('keeps a homepage anchor but never credentials or other schemes', () => {
    expect(webUrl('https://github.com/a/b#readme', true)).toBe('https://github.com/a/b#readme');
    expect(webUrl('https://u:p@example.com/', true)).toBe('https://example.com/');
    expect(webUrl('data:text/html,x', true)).toBeNull();
  });
});

describe('packuments', () => {
  it('reads versions, deprecation, engines, times, latest and links', () => {
    const doc = {
      name: 'p',
      'dist-tags': { latest: '1.1.0', next: '2.0.0-rc.1' },
      versions: {
        '1.0.0': { version: '1.0.0', deprecated: 'use 1.1', engines: { node: '>=16' } },
        '1.1.0': { version: '1.1.0', engines: { node: ' >=18 ' }, deprecated: '' },
        '2.0.0-rc.1': { version: '2.0.0-rc.1', engines: ['node >= 0.4'] },
      },
      time: { '1.0.0': '2024-01-02T03:04:05.678Z', '1.1.0': 'not a date', created: '2024-01-01T00:00:00Z' },
      homepage: 'https://p.example/#readme',
      repository: { type: 'git', url: 'git+https://github.com/o/p.git' },
    };
    expect(readPackument(doc)).toEqual({
      releases: [
        {
          version: '1.0.0',
          isDeprecated: true,
          constraints: { node: '>=16' },
          releaseTimestamp: '2024-01-02T03:04:05.678Z',
        },
        { version: '1.1.0', constraints: { node: '>=18' } },
        { version: '2.0.0-rc.1' },
      ],
      latest: '1.1.0',
      homepage: 'https://p.example/#readme',
      sourceUrl: 'https://github.com/o/p',
    });
  });

  it('takes links from the latest manifest when the top level has none', () => {
    const doc = {
      'dist-tags': { latest: '1.0.0' },
      versions: { '1.0.0': { repository: 'o/p', homepage: 'https://p.example/' } },
    };
    expect(readPackument(doc)).toMatchObject({
      sourceUrl: 'https://github.com/o/p',
      homepage: 'https://p.example/',
    });
  });

  it('ignores a latest tag naming no version and entries that are not objects', () => {
    const doc = { 'dist-tags': { latest: '9.9.9' }, versions: { '1.0.0': {}, '1.0.1': 'x', '1.0.2': null } };
    expect(readPackument(doc)).toEqual({ releases: [{ version: '1.0.0' }] });
  });

  it.each([null, [], 'text', {}, { versions: [] }, { versions: 'x' }])('refuses %j', (doc) => {
    expect(readPackument(doc)).toEqual({ error: 'not a packument (no versions object)' });
  });
});
