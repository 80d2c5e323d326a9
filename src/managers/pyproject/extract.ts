// pyproject.toml: values from smol-toml, positions from toml-locate; PEP 621/735 and Poetry tables.
import { parse, TomlError } from 'smol-toml';
import type { ExtractResult, FileError } from '../../core/types.js';
import type { PythonDependency } from '../pip-requirements/package-dep.js';
import { pep621Dependencies } from './pep621.js';
import { tomlFile } from './place.js';
import { poetryDependencies } from './poetry.js';

export interface PyprojectResult extends ExtractResult {
  deps: PythonDependency[];
}

export function extractPyproject(content: string): PyprojectResult {
  const parsed = parseToml(content);
  if ('error' in parsed) return { deps: [], errors: [parsed.error] };
  const file = tomlFile(content);
  const deps = [...pep621Dependencies(file, parsed.doc), ...poetryDependencies(file, parsed.doc)];
  return { deps: deps.sort((a, b) => a.line - b.line) };
}

/** The document, or a FileError with smol-toml's line and column. */
export function parseToml(content: string): { doc: Record<string, unknown> } | { error: FileError } {
  try {
    return { doc: parse(content) as Record<string, unknown> };
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.split('\n')[0] ?? 'invalid TOML';
      return {
        error: { line: error.line, message: `TOML: ${message} (line ${error.line}, column ${error.column})` },
      };
    }
    return { error: { message: `TOML: ${(error as Error).message}` } };
  }
}
