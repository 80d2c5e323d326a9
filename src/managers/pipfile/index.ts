// Pipfile manager; Pipfile.lock in python-locks.
import type { Manager } from '../../core/types.js';
import { pipfileLockfiles } from '../python-locks/support.js';
import { extractPipfile } from './extract.js';

export { extractPipfile } from './extract.js';

export const manager: Manager = {
  name: 'pipfile',
  runtime: 'python',
  lockfiles: pipfileLockfiles,
  filePatterns: [/(^|\/)Pipfile$/],
  extract(content) {
    try {
      return extractPipfile(content);
    } catch (error) {
      // A bug here must cost one file, not the scan.
      return { deps: [], errors: [{ message: `pipfile: ${(error as Error).message}` }] };
    }
  },
};
