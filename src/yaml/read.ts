import { readBlockYaml } from './fast.js';
import { readFullYaml } from './full.js';
import type { YamlResult } from './tree.js';

/** Reads YAML into the small tree: the fast block reader when it can, the full parser otherwise. */
export function readYaml(source: string): YamlResult {
  const documents = readBlockYaml(source);
  return documents ? { documents, errors: [] } : readFullYaml(source);
}
