// pyproject.toml manager (PEP 621, PEP 735 dependency groups, Poetry); poetry.lock / uv.lock in python-locks.
import type { Manager } from '../../core/types.js';
import { pyprojectLockfiles } from '../python-locks/support.js';
import { extractPyproject } from './extract.js';

export { extractPyproject } from './extract.js';

export const manager: Manager = {
  name: 'pyproject',
  runtime: 'python',
  lockfiles: pyprojectLockfiles,
  filePatterns: [/(^|\/)pyproject\.toml$/],
  extract(content) {
    try {
      return extractPyproject(content);
    } catch (error) {
      // A bug here must cost one file, not the scan.
      return { deps: [], errors: [{ message: `pyproject: ${(error as Error).message}` }] };
    }
  },
};
