// A PEP 508 requirement's text as a Dependency, wherever it was written (a requirements line, a TOML
// string): the caller says where a [from, to) span of the text sits in the file.
import type { Range } from '../../core/types.js';
import { packageDependency, referenceSkip, referenceValue, type PythonDependency } from './package-dep.js';
import { parseRequirement } from './pep508.js';

export function requirementDependency(
  text: string,
  line: number,
  depType: string,
  rangeOf: (from: number, to: number) => Range | undefined,
): PythonDependency {
  const parsed = parseRequirement(text);
  if (!parsed) {
    const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(text)?.[1];
    const dep = packageDependency({
      depName: name ?? text.trim(),
      currentValue: text.trim(),
      line,
      depType,
      skipReason: 'invalid-value',
    });
    if (!name) delete dep.packageName; // nothing a registry could look up
    return dep;
  }
  let dep: PythonDependency;
  if (parsed.url !== undefined) {
    dep = packageDependency({
      depName: parsed.name,
      currentValue: referenceValue(parsed.url),
      line,
      depType,
      skipReason: referenceSkip(parsed.url),
    });
  } else {
    const valueRange = rangeOf(parsed.specStart, parsed.specEnd);
    dep = packageDependency({
      depName: parsed.name,
      currentValue: parsed.specifier,
      line,
      depType,
      ...(valueRange ? { valueRange } : {}),
      ...(parsed.specifier ? {} : { skipReason: 'unspecified-version' as const }),
    });
  }
  if (parsed.marker !== undefined) dep.marker = parsed.marker;
  if (parsed.extras.length) dep.extras = parsed.extras;
  return dep;
}
