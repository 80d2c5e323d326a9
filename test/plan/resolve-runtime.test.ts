// resolveFiles records what the locked release of a package declares it runs on, for the runtime of the
// image its manifest ships in: what a base-image PR checks its new Python or Node against.
import { describe, expect, it } from 'vitest';
import { configFromTexts } from '../../src/config/load.js';
import type { PackageFile } from '../../src/core/types.js';
import type { PackageLookups } from '../../src/datasources/packages.js';
import { extractRequirementsFile } from '../../src/managers/pip-requirements/index.js';
import type { RegistryLookups } from '../../src/plan/plan.js';
import { resolveFiles } from '../../src/plan/resolve.js';

const noImages = {} as RegistryLookups;

const lookups: PackageLookups = {
  getReleases: async () => ({
    releases: [
      { version: '1.24.0', constraints: { python: '>=3.8,<3.12' } },
      { version: '1.26.0', constraints: { python: '>=3.9' } },
    ],
  }),
  close: async () => {},
};

describe('the locked release’s runtime constraint', () => {
  it('is kept on the dependency when the manifest has a runtime', async () => {
    const config = await configFromTexts([]);
    const file: PackageFile = {
      path: 'requirements.txt',
      manager: 'pip-requirements',
      runtime: { kind: 'python', version: '3.11', image: 'python:3.11' },
      deps: extractRequirementsFile('numpy==1.24.0\n', 'requirements.txt').deps.map((dep) => ({
        ...dep,
        lockedVersion: '1.24.0',
      })),
    };
    const bare: PackageFile = {
      path: file.path,
      manager: file.manager,
      deps: file.deps.map((dep) => ({ ...dep })),
    };
    await resolveFiles([file, bare], config.updates, noImages, { packages: lookups });
    expect(file.deps[0]!.lockedRuntimeConstraint).toBe('>=3.8,<3.12');
    expect(bare.deps[0]!.lockedRuntimeConstraint).toBeUndefined();
  });
});
