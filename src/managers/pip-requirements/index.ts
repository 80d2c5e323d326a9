// pip requirements and constraints files. The manager returns deps and errors; callers that follow
// `-r`/`-c` includes or need the hash flag use extractRequirementsFile.
import type { Manager } from '../../core/types.js';
import { extractRequirementsFile } from './extract.js';

export { extractRequirementsFile } from './extract.js';
export type { RequirementDependency, RequirementsFile, RequirementsInclude } from './extract.js';

export const manager: Manager = {
  name: 'pip-requirements',
  runtime: 'python',
  filePatterns: [
    /(^|\/)requirements[^/]*\.txt$/i,
    /(^|\/)requirements\/[^/]+\.txt$/i,
    /(^|\/)constraints[^/]*\.txt$/i,
  ],
  extract(content, path) {
    try {
      return { deps: extractRequirementsFile(content, path).deps };
    } catch (error) {
      // A bug here must cost one file, not the scan.
      return { deps: [], errors: [{ message: `requirements: ${(error as Error).message}` }] };
    }
  },
};
