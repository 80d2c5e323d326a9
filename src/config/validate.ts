// Turns a parsed YAML value into a ConfigFile, or a ConfigError whose lines read
// `<file>: <field path>: expected …, got …`.
import type { z } from 'zod';
import { ConfigError } from './errors.js';
import { configFileSchema, type ConfigFile } from './schema.js';

type Issue = z.core.$ZodRawIssue;

export function validateConfig(data: unknown, file: string, ruleNames: ReadonlySet<string>): ConfigFile {
  const config = validateWith(configFileSchema, data, file);
  const problems = unknownRules(config, ruleNames);
  if (problems.length > 0) throw configError(file, problems);
  return config;
}

/** `data` checked against `schema`, or a ConfigError with one line per problem. */
export function validateWith<S extends z.ZodObject>(schema: S, data: unknown, file: string): z.infer<S> {
  // An empty file parses as null: nothing configured.
  const parsed = schema.safeParse(data ?? {}, { error: (issue) => describe(issue, schema) });
  if (!parsed.success) throw configError(file, parsed.error.issues);
  return parsed.data;
}

export interface Problem {
  path: PropertyKey[];
  message: string;
}

export function configError(file: string, problems: Problem[]): ConfigError {
  return new ConfigError(
    problems.map(({ path, message }) => `${file}: ${fieldPath(path)}${message}`).join('\n'),
  );
}

/** `ignore` and `severity` must name rules of the catalog: a typo would silently do nothing. */
function unknownRules(config: ConfigFile, ruleNames: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  const expected = 'expected a rule id (DH201) or slug (final-stage-root)';
  config.ignore?.forEach((name, index) => {
    if (!ruleNames.has(name))
      problems.push({ path: ['ignore', index], message: `${expected}, got ${show(name)}` });
  });
  for (const name of Object.keys(config.severity ?? {})) {
    if (!ruleNames.has(name))
      problems.push({ path: ['severity', name], message: `${expected}, got ${show(name)}` });
  }
  return problems;
}

function fieldPath(path: PropertyKey[]): string {
  if (path.length === 0) return '';
  const text = path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`,
    )
    .join('');
  return `${text}: `;
}

function describe(issue: Issue, schema: z.ZodObject): string {
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.join(', ')}, got ${show(issue.input)}`;
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${show(issue.input)}`;
    case 'unrecognized_keys': {
      const known = Object.keys(schema.shape).join(', ');
      const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
      return issue.path?.length
        ? `unknown field ${keys}`
        : `unknown field ${keys} (expected one of ${known})`;
    }
    case 'too_small':
      return 'expected a non-empty string';
    case 'invalid_format':
      return `expected a pattern without spaces, got ${show(issue.input)}`;
    default:
      return `invalid value ${show(issue.input)}`;
  }
}

const TYPE_NAMES: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  string: 'a string',
  boolean: 'true or false',
};

function show(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}
