// A PEP 508 string of a TOML array (PEP 621 dependencies, dependency groups, build requirements) as a
// Dependency whose valueRange covers only its specifiers.
import type { PythonDependency } from '../pip-requirements/package-dep.js';
import { requirementDependency } from '../pip-requirements/requirement-dep.js';
import { place, rangeIn, type TomlFile } from './place.js';

export function pep508Dependency(
  file: TomlFile,
  path: (string | number)[],
  text: string,
  depType: string,
): PythonDependency {
  const at = place(file, path, text);
  return requirementDependency(text, at.line, depType, (from, to) => rangeIn(at, from, to));
}
