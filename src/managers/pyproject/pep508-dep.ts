// A PEP 508 string of a TOML array (PEP 621 dependencies, dependency groups, build requirements) as a
// Dependency whose valueRange covers only its specifiers.
import type { SkipReason } from '../../core/types.js';
import { packageDependency, referenceSkip, type PythonDependency } from '../pip-requirements/package-dep.js';
import { parseRequirement } from '../pip-requirements/pep508.js';
import { place, rangeIn, type TomlFile } from './place.js';

export function pep508Dependency(
  file: TomlFile,
  path: (string | number)[],
  text: string,
  depType: string,
): PythonDependency {
  const at = place(file, path, text);
  const parsed = parseRequirement(text);
  if (!parsed) {
    const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(text)?.[1] ?? text;
    return packageDependency({
      depName: name,
      currentValue: text,
      line: at.line,
      depType,
      skipReason: 'invalid-value',
    });
  }
  if (parsed.url !== undefined)
    return packageDependency({
      depName: parsed.name,
      currentValue: parsed.url,
      line: at.line,
      depType,
      skipReason: referenceSkip(parsed.url),
    });
  const skipReason: SkipReason | undefined = parsed.specifier ? undefined : 'unspecified-version';
  const valueRange = rangeIn(at, parsed.specStart, parsed.specEnd);
  const dep = packageDependency({
    depName: parsed.name,
    currentValue: parsed.specifier,
    line: at.line,
    depType,
    ...(valueRange ? { valueRange } : {}),
    ...(skipReason ? { skipReason } : {}),
  });
  if (parsed.marker !== undefined) dep.marker = parsed.marker;
  if (parsed.extras.length) dep.extras = parsed.extras;
  return dep;
}
