import { describe, expect, it } from 'vitest';
import { movedPackages, npmLockedPackages } from '../../src/lockfiles/locked-packages.js';

const v3 = (packages: Record<string, unknown>) => JSON.stringify({ lockfileVersion: 3, packages });

describe('npmLockedPackages', () => {
  it('reads lockfileVersion 2 and 3 by install location, nested and scoped ones with their path', () => {
    const locked = npmLockedPackages(
      v3({
        '': { name: 'app' },
        'node_modules/express': { version: '4.19.2' },
        'node_modules/express/node_modules/@types/qs': { version: '6.9.0' },
        'node_modules/local': { link: true, resolved: 'packages/local' },
      }),
    );
    expect([...locked.values()]).toEqual([
      { name: 'express', version: '4.19.2', path: 'express' },
      { name: '@types/qs', version: '6.9.0', path: 'express > @types/qs' },
    ]);
  });

  it('reads lockfileVersion 1 from its nested dependencies', () => {
    const locked = npmLockedPackages(
      JSON.stringify({
        lockfileVersion: 1,
        dependencies: { a: { version: '1.0.0', dependencies: { b: { version: '2.0.0' } } } },
      }),
    );
    expect([...locked.values()]).toEqual([
      { name: 'a', version: '1.0.0', path: 'a' },
      { name: 'b', version: '2.0.0', path: 'a > b' },
    ]);
  });

  it('reads nothing from text that is not a lockfile', () => {
    expect(npmLockedPackages('{').size).toBe(0);
    expect(npmLockedPackages('[]').size).toBe(0);
  });
});

describe('movedPackages', () => {
  it('lists version moves, new and removed packages in path order, and nothing that stayed', () => {
    const before = npmLockedPackages(
      v3({
        'node_modules/a': { version: '1.0.0' },
        'node_modules/b': { version: '1.0.0' },
        'node_modules/c': { version: '3.0.0' },
      }),
    );
    const after = npmLockedPackages(
      v3({
        'node_modules/a': { version: '1.2.0' },
        'node_modules/c': { version: '3.0.0' },
        'node_modules/a/node_modules/d': { version: '0.1.0' },
      }),
    );
    expect(movedPackages(before, after)).toEqual([
      { name: 'a', from: '1.0.0', to: '1.2.0', path: 'a' },
      { name: 'd', from: null, to: '0.1.0', path: 'a > d' },
      { name: 'b', from: '1.0.0', to: null, path: 'b' },
    ]);
  });
});
