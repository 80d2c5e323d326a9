// The range versionings by the id a manager writes in `Dependency.versioning`. A new scheme is added
// here and nowhere else in the pipeline.
import { npm } from './npm/index.js';
import { pep440 } from './pep440/index.js';
import { poetry } from './poetry/index.js';
import type { RangeVersioning } from './types.js';

const VERSIONINGS: Record<string, RangeVersioning> = { npm, pep440, poetry };

export function rangeVersioning(id: string | undefined): RangeVersioning | undefined {
  return id === undefined ? undefined : VERSIONINGS[id];
}

/** How a runtime's constraints are written: `requires-python` in PEP 440, `engines.node` in npm ranges. */
export function runtimeVersioning(kind: 'node' | 'python'): RangeVersioning | undefined {
  return rangeVersioning(kind === 'python' ? 'pep440' : 'npm');
}
