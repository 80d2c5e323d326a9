// resolveFiles on requirements pinned with `--hash`: each proposed release carries the sha256 of every
// non-yanked file, or is dropped with a lookup error saying why. The package lookups are an in-memory
// index here (the CLI test runs the same path against a real index and the real pip).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.js';
import { configFromTexts } from '../../src/config/load.js';
import type { PackageFile } from '../../src/core/types.js';
import type { PackageLookups, ReleaseFile } from '../../src/datasources/packages.js';
import { extractRequirementsFile } from '../../src/managers/pip-requirements/index.js';
import type { RegistryLookups } from '../../src/plan/plan.js';
import { resolveFiles } from '../../src/plan/resolve.js';

const hex = (c: string) => c.repeat(64);
const wheel = (version: string, c: string, yanked = false): ReleaseFile => ({
  filename: `six-${version}-py3-none-any.whl`,
  hashes: { sha256: hex(c) },
  yanked,
});
const sdist = (version: string, c: string, yanked = false): ReleaseFile => ({
  filename: `six-${version}.tar.gz`,
  hashes: { sha256: hex(c) },
  yanked,
});

const noImages: RegistryLookups = {
  getTags: () => Promise.reject(new Error('not used')),
  getDigest: () => Promise.reject(new Error('not used')),
  getManifest: () => Promise.reject(new Error('not used')),
  getPlatformDigest: async () => null,
  getCreated: async () => null,
  getPlatform: async () => null,
};

interface Index {
  lookups: PackageLookups;
  asked: string[];
}

/** Releases of `six` with the files `getFiles` answers (or the error it throws) per version. */
function index(files: Record<string, ReleaseFile[] | Error>, withFiles = true): Index {
  const asked: string[] = [];
  const lookups: PackageLookups = {
    getReleases: async () => ({ releases: Object.keys(files).map((version) => ({ version })) }),
    close: async () => {},
  };
  if (withFiles)
    lookups.getFiles = async (datasource, query) => {
      asked.push(`${datasource} ${query.packageName} ${query.version} ${query.registryUrl ?? '-'}`);
      const found = files[query.version];
      if (found instanceof Error) throw found;
      return found ?? [];
    };
  return { lookups, asked };
}

let config: Config;
beforeAll(async () => {
  config = await configFromTexts([]);
});

async function resolve(text: string, lookups: PackageLookups): Promise<PackageFile> {
  const file: PackageFile = {
    path: 'requirements.txt',
    manager: 'pip-requirements',
    deps: extractRequirementsFile(text, 'requirements.txt').deps,
  };
  await resolveFiles([file], config.updates, noImages, { packages: lookups, now: Date.now() });
  return file;
}

const HASHED = `--index-url https://idx.example/simple\nsix==1.15.0 \\\n    --hash=sha256:${hex('0')}\n`;

describe('resolve: requirements pinned with --hash', () => {
  it('gives each update the sorted sha256 of every non-yanked file of its release, from the file’s index', async () => {
    const { lookups, asked } = index({
      '1.15.0': [wheel('1.15.0', '0')],
      '1.16.0': [sdist('1.16.0', 'f'), wheel('1.16.0', 'a'), wheel('1.16.0', 'b', true)],
      '2.0.0': [wheel('2.0.0', 'c'), sdist('2.0.0', 'C')],
    });
    const [dep] = (await resolve(HASHED, lookups)).deps;
    expect(dep!.lookupError).toBeUndefined();
    const byVersion = Object.fromEntries(dep!.updates!.map((u) => [u.newVersion, u.newHashes]));
    // The yanked wheel's hash is not one pip could be asked to accept; upper-case hex is normalised.
    expect(byVersion['1.16.0']).toEqual([`sha256:${hex('a')}`, `sha256:${hex('f')}`]);
    expect(byVersion['2.0.0']).toEqual([`sha256:${hex('c')}`]);
    expect(asked.sort()).toEqual([
      'pypi six 1.16.0 https://idx.example/simple',
      'pypi six 2.0.0 https://idx.example/simple',
    ]);
  });

  it('an update whose files cannot be read is dropped and the lookup error says why; the others stay', async () => {
    const { lookups } = index({
      '1.15.0': [wheel('1.15.0', '0')],
      '1.16.0': new Error('PyPI project six (idx.example): server error 500'),
      '2.0.0': [wheel('2.0.0', 'c')],
    });
    const [dep] = (await resolve(HASHED, lookups)).deps;
    expect(dep!.updates!.map((u) => u.newVersion)).toEqual(['2.0.0']);
    expect(dep!.lookupError).toBe(
      'six 1.16.0 not proposed: the hashes of its files for the --hash lines could not be read (PyPI project six (idx.example): server error 500)',
    );
  });

  it.each([
    ['every file yanked', [wheel('1.16.0', 'a', true)], 'every file of the release is yanked'],
    ['no files', [], 'the index lists no files for it'],
    [
      'a file without sha256',
      [
        wheel('1.16.0', 'a'),
        { filename: 'six-1.16.0.tar.gz', hashes: { md5: hex('1').slice(32) }, yanked: false },
      ],
      '"six-1.16.0.tar.gz" has no sha256 hash on the index',
    ],
    [
      'a malformed digest (it would be written into the file)',
      [{ filename: 'six-1.16.0.tar.gz', hashes: { sha256: 'ab\n-e ./evil' }, yanked: false }],
      '"six-1.16.0.tar.gz" has no sha256 hash on the index',
    ],
  ])('%s: no update, and why', async (_name, files, reason) => {
    const { lookups } = index({ '1.15.0': [wheel('1.15.0', '0')], '1.16.0': files });
    const [dep] = (await resolve(HASHED, lookups)).deps;
    expect(dep!.updates).toBeUndefined();
    expect(dep!.lookupError).toBe(
      `six 1.16.0 not proposed: the hashes of its files for the --hash lines could not be read (${reason})`,
    );
  });

  it('lookups that cannot list files propose nothing for a hashed pin', async () => {
    const { lookups } = index({ '1.15.0': [], '1.16.0': [wheel('1.16.0', 'a')] }, false);
    const [dep] = (await resolve(HASHED, lookups)).deps;
    expect(dep!.updates).toBeUndefined();
    expect(dep!.lookupError).toMatch(/six 1\.16\.0 not proposed: .*the pypi lookups list no release files/);
  });

  it('a pin without hashes asks for no files', async () => {
    const { lookups, asked } = index({ '1.15.0': [], '1.16.0': [wheel('1.16.0', 'a')] });
    const [dep] = (await resolve('six==1.15.0\n', lookups)).deps;
    expect(dep!.updates).toEqual([expect.objectContaining({ newVersion: '1.16.0', newValue: '==1.16.0' })]);
    expect(dep!.updates![0]!.newHashes).toBeUndefined();
    expect(asked).toEqual([]);
  });
});
