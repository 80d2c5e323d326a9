import { describe, expect, it } from 'vitest';
import { globToRegExp, pathMatcher } from '../../src/scan/glob.js';

describe('ignorePaths globs', () => {
  const cases: [string, string[], string[]][] = [
    ['vendor', ['vendor/Dockerfile', 'a/vendor/x/Dockerfile', 'vendor'], ['vendors/Dockerfile', 'a/b']],
    ['test/fixtures/', ['test/fixtures/Dockerfile', 'test/fixtures/a/b.yml'], ['x/test/fixtures/Dockerfile']],
    ['/docs', ['docs/Dockerfile'], ['a/docs/Dockerfile']],
    ['*.test.Dockerfile', ['a.test.Dockerfile', 'x/y/b.test.Dockerfile'], ['a.Dockerfile']],
    ['examples/**/Dockerfile', ['examples/Dockerfile', 'examples/a/b/Dockerfile'], ['x/examples/Dockerfile']],
    ['charts/*/values.yaml', ['charts/app/values.yaml'], ['charts/a/b/values.yaml']],
    ['**/testdata/**', ['testdata/a', 'x/testdata/y/Dockerfile'], ['x/testdatas/y']],
    ['Dockerfile.?', ['Dockerfile.a'], ['Dockerfile.ab', 'Dockerfile./']],
    ['a+b(c)', ['a+b(c)'], ['aab(c)', 'a+bc']],
  ];
  it.each(cases)('%s', (pattern, matching, other) => {
    const re = globToRegExp(pattern);
    for (const path of matching) expect(re.test(path), path).toBe(true);
    for (const path of other) expect(re.test(path), path).toBe(false);
  });

  it('matches any of several patterns, and nothing when there are none', () => {
    expect(pathMatcher(['a', 'b'])('b/Dockerfile')).toBe(true);
    expect(pathMatcher([])('Dockerfile')).toBe(false);
  });
});
