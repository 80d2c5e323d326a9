// CODEOWNERS (src/report/codeowners.ts): GitHub's pattern rules, last match wins, invalid lines skipped,
// every pattern in linear time.
import { describe, expect, it } from 'vitest';
import {
  CODEOWNERS_LOCATIONS,
  isTeam,
  parseCodeOwners,
  patternSource,
  teamsOwning,
} from '../../src/report/codeowners.js';

describe('parseCodeOwners', () => {
  it('gives the last matching line’s owners (a later, narrower line wins; one without owners unowns)', () => {
    const owners = parseCodeOwners(
      ['*       @acme/platform', '*.md    @acme/writers', 'build/  @acme/ci', 'build/README.md'].join('\n'),
    );
    expect(owners.ownersOf('Dockerfile')).toEqual(['@acme/platform']);
    expect(owners.ownersOf('docs/a.md')).toEqual(['@acme/writers']);
    expect(owners.ownersOf('build/Dockerfile')).toEqual(['@acme/ci']);
    expect(owners.ownersOf('build/README.md')).toEqual([]);
    // Order matters: the broad line last takes everything back.
    expect(parseCodeOwners('*.md @acme/writers\n* @acme/platform').ownersOf('a.md')).toEqual([
      '@acme/platform',
    ]);
  });

  it('anchors patterns with a leading or inner slash; others match at any depth', () => {
    const owners = parseCodeOwners(
      ['/api/ @acme/api', 'apps/ @acme/apps', 'logs @acme/logs', 'src/Dockerfile @acme/src'].join('\n'),
    );
    expect(owners.ownersOf('api/Dockerfile')).toEqual(['@acme/api']);
    expect(owners.ownersOf('services/api/Dockerfile')).toEqual([]);
    expect(owners.ownersOf('apps/x/Dockerfile')).toEqual(['@acme/apps']);
    expect(owners.ownersOf('deep/apps/Dockerfile')).toEqual(['@acme/apps']);
    // A directory-only pattern does not own a file of that name.
    expect(parseCodeOwners('apps/ @acme/apps').ownersOf('apps')).toEqual([]);
    expect(owners.ownersOf('a/b/logs')).toEqual(['@acme/logs']);
    expect(owners.ownersOf('a/logs/x.txt')).toEqual(['@acme/logs']);
    expect(owners.ownersOf('src/Dockerfile')).toEqual(['@acme/src']);
    expect(owners.ownersOf('x/src/Dockerfile')).toEqual([]);
  });

  it('`*` stays within a directory, `**` spans them; `docs/*` owns only the files directly in docs', () => {
    const owners = parseCodeOwners(
      ['docs/* @acme/docs', '**/deploy/*.yml @acme/ops', 'infra/** @acme/infra', 'a/**/z @acme/az'].join(
        '\n',
      ),
    );
    expect(owners.ownersOf('docs/guide.md')).toEqual(['@acme/docs']);
    expect(owners.ownersOf('docs/build/guide.md')).toEqual([]);
    expect(owners.ownersOf('deploy/compose.yml')).toEqual(['@acme/ops']);
    expect(owners.ownersOf('x/y/deploy/compose.yml')).toEqual(['@acme/ops']);
    expect(owners.ownersOf('x/deploy/sub/compose.yml')).toEqual([]);
    expect(owners.ownersOf('infra/k8s/x/Dockerfile')).toEqual(['@acme/infra']);
    expect(owners.ownersOf('a/z')).toEqual(['@acme/az']);
    expect(owners.ownersOf('a/b/c/z')).toEqual(['@acme/az']);
    expect(owners.ownersOf('ab/z')).toEqual([]);
    expect(parseCodeOwners('Docker?ile @acme/q').ownersOf('sub/Dockerfile')).toEqual(['@acme/q']);
  });

  it('skips comments, blank lines and invalid lines; escapes `#`; reads users, teams and emails', () => {
    const owners = parseCodeOwners(
      [
        '# a comment',
        '',
        '   ',
        '* @acme/platform # trailing comment',
        '\\#notes @acme/hash',
        '!Dockerfile @acme/negated',
        'Docker[fF]ile @acme/range',
        'api/ not-an-owner',
        'api/ @acme/api @bob ops@acme.example',
      ].join('\r\n'),
    );
    expect(owners.rules.map((r) => r.pattern)).toEqual(['*', '#notes', 'api/']);
    expect(owners.invalid.map((i) => i.line)).toEqual([6, 7, 8]);
    expect(owners.ownersOf('#notes')).toEqual(['@acme/hash']);
    expect(owners.ownersOf('Dockerfile')).toEqual(['@acme/platform']);
    expect(owners.ownersOf('api/Dockerfile')).toEqual(['@acme/api', '@bob', 'ops@acme.example']);
    expect(isTeam('@acme/api')).toBe(true);
    expect(isTeam('@bob')).toBe(false);
    expect(isTeam('ops@acme.example')).toBe(false);
  });

  it('gives the teams owning a set of paths, lower case, sorted, without users or emails', () => {
    const owners = parseCodeOwners('* @acme/Zeta @alice\napi/ @acme/api me@acme.example\n');
    expect(teamsOwning(owners, ['Dockerfile', 'api/Dockerfile', 'api/compose.yml'])).toEqual([
      '@acme/api',
      '@acme/zeta',
    ]);
    expect(teamsOwning(parseCodeOwners(''), ['Dockerfile'])).toEqual([]);
  });

  it('looks where GitHub looks, in its order', () => {
    expect(CODEOWNERS_LOCATIONS).toEqual(['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS']);
  });

  it('runs a pathological pattern in linear time', () => {
    const evil = `${'*a'.repeat(200)}b`;
    const owners = parseCodeOwners(`${evil} @acme/evil\n** @acme/all`.split('\n').reverse().join('\n'));
    const path = `${'a'.repeat(20_000)}/${'a'.repeat(20_000)}`;
    const started = performance.now();
    expect(owners.ownersOf(path)).toEqual(['@acme/all']);
    expect(owners.ownersOf(`${'a'.repeat(5000)}b`)).toEqual(['@acme/evil']);
    expect(performance.now() - started).toBeLessThan(2000);
    // The source escapes regex syntax: a pattern is never a regular expression of the repository's.
    expect(patternSource('a+(b)|c.{2}')).toBe('^(?:.*/)?a\\+\\(b\\)\\|c\\.\\{2\\}(?:/.*)?$');
  });
});
