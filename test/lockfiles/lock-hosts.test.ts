// In the app, a lockfile that names a host other than the registries Dockhand uses is not handed to a
// package manager: yarn would fetch its `resolved` URL from inside the cluster.
import { describe, expect, it } from 'vitest';
import { relockFile } from '../../src/lockfiles/index.js';
import { foreignLockHost } from '../../src/lockfiles/lock-hosts.js';

const registries = {
  npm: 'https://npm.internal.example/',
  npmScopes: { '@acme': 'https://npm.pkg.github.com/' },
  pypi: 'https://pypi.internal.example/simple',
};

const yarnLock = (resolved: string) =>
  `# yarn lockfile v1\n\nleft-pad@^1.1.0:\n  version "1.1.0"\n  resolved "${resolved}"\n`;

describe('foreignLockHost', () => {
  it('accepts the configured registries (scopes too) and the public ones', () => {
    for (const url of [
      'https://npm.internal.example/left-pad/-/left-pad-1.1.0.tgz',
      'https://npm.pkg.github.com/download/@acme/ui/1.0.0/x.tgz',
      'https://registry.yarnpkg.com/left-pad/-/left-pad-1.1.0.tgz',
      'https://registry.npmjs.org/left-pad/-/left-pad-1.1.0.tgz',
      'https://files.pythonhosted.org/packages/aa/bb/six-1.16.0-py2.py3-none-any.whl',
    ])
      expect(foreignLockHost(yarnLock(url), registries), url).toBeUndefined();
  });

  it('names any other host, however it is written', () => {
    expect(foreignLockHost(yarnLock('http://169.254.169.254/latest/meta-data#x'), registries)).toBe(
      '169.254.169.254',
    );
    expect(foreignLockHost(yarnLock('http://user:pw@localhost:6379/x.tgz'), registries)).toBe(
      'localhost:6379',
    );
    expect(foreignLockHost(yarnLock('HTTPS://Evil.Example/x.tgz'), registries)).toBe('evil.example');
  });
});

describe('relockFile in the app', () => {
  it('refuses such a lockfile before any tool runs, saying which host', async () => {
    const result = await relockFile({
      manifestPath: 'package.json',
      lockPath: 'yarn.lock',
      manifest: '{"name":"x","dependencies":{"left-pad":"^1.1.0"}}',
      lockfile: yarnLock('http://10.0.0.5:8080/left-pad-1.1.0.tgz'),
      deps: [],
      readFile: async () => undefined,
      registries,
    });
    expect(result).toEqual({
      ok: false,
      reason:
        'yarn.lock names 10.0.0.5:8080, which is not a registry this Dockhand uses; it was not regenerated (the tool would fetch from there)',
    });
  });
});
