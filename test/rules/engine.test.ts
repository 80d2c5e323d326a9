import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { lintDockerfile, type LintOptions } from '../../src/rules/engine.js';
import type { Rule } from '../../src/rules/types.js';
import { corpus, FIXTURES, readCorpus } from '../support/corpus.js';
import { lint } from './lint.js';

/** A rule that flags every RUN, to test the engine without depending on a real rule's logic. */
const everyRun: Rule = {
  id: 'DH990',
  slug: 'every-run',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Test rule: flags every RUN',
  docs: 'Used by the engine tests.',
  equivalents: ['DL9990'],
  check: (df) =>
    df.instructions.filter((i) => i.keyword === 'RUN').map((i) => ({ line: i.line, message: 'run' })),
};
const offByDefault: Rule = { ...everyRun, id: 'DH991', slug: 'off-by-default', enabledByDefault: false };
const throwing: Rule = {
  ...everyRun,
  id: 'DH992',
  slug: 'throws',
  check: () => {
    throw new Error('boom');
  },
};

function run(text: string, options: Partial<LintOptions> = {}, catalog: Rule[] = [everyRun]) {
  return lintDockerfile(
    parseDockerfile(text),
    {
      path: 'Dockerfile',
      deps: [],
      trustedRegistries: [],
      ignore: [],
      severity: {},
      allowInlineIgnores: true,
      ...options,
    },
    catalog,
  ).map((f) => `${f.line} ${f.rule} ${f.severity}`);
}

describe('inline ignores', () => {
  const text = 'FROM x\n# dockhand ignore=DH990 -- reviewed\nRUN a\nRUN b\n';

  test('apply to the next instruction only, by id or slug, with a reason', () => {
    expect(run(text)).toEqual(['4 DH990 warning']);
    expect(run('FROM x\n# dockhand ignore=every-run\nRUN a \\\n  b\n')).toEqual([]);
  });

  test('several rules, spaces after commas, comments and blank lines before the instruction', () => {
    expect(run('FROM x\n# dockhand ignore=DH000, DH990\n\n# why\nRUN a\n')).toEqual([]);
  });

  test('global ignores cover the file', () => {
    expect(run('# dockhand global ignore=DH990\nFROM x\nRUN a\nRUN b\n')).toEqual([]);
  });

  test("hadolint's comments map through the rules' equivalents", () => {
    expect(run('FROM x\n# hadolint ignore=DL9990\nRUN a\nRUN b\n')).toEqual(['4 DH990 warning']);
    expect(run('FROM x\n# hadolint global ignore=DL9990\nRUN a\n')).toEqual([]);
  });

  test('an organisation can switch them off', () => {
    expect(run(text, { allowInlineIgnores: false })).toEqual(['3 DH990 warning', '4 DH990 warning']);
  });

  test('real rules: a hadolint ignore list carries over', () => {
    const dockerfile = 'FROM ubuntu\n# hadolint ignore=DL3006,DL3002\nUSER root\n';
    const rules = lint(dockerfile).map((f) => f.rule);
    expect(rules).not.toContain('DH201');
  });
});

describe('configuration', () => {
  test('ignore by id or slug', () => {
    expect(run('FROM x\nRUN a\n', { ignore: ['DH990'] })).toEqual([]);
    expect(run('FROM x\nRUN a\n', { ignore: ['every-run'] })).toEqual([]);
  });

  test('severity overrides, off, and switching on an off-by-default rule', () => {
    const text = 'FROM x\nRUN a\n';
    expect(run(text, { severity: { DH990: 'error' } })).toEqual(['2 DH990 error']);
    expect(run(text, { severity: { 'every-run': 'off' } })).toEqual([]);
    expect(run(text, {}, [offByDefault])).toEqual([]);
    expect(run(text, { severity: { DH991: 'info' } }, [offByDefault])).toEqual(['2 DH991 info']);
  });
});

test('a rule that throws becomes a visible finding; the other rules still run', () => {
  const findings = lintDockerfile(
    parseDockerfile('FROM x\nRUN a\n'),
    {
      path: 'Dockerfile',
      deps: [],
      trustedRegistries: [],
      ignore: [],
      severity: {},
      allowInlineIgnores: true,
    },
    [throwing, everyRun],
  );
  expect(findings.map((f) => [f.rule, f.line])).toEqual([
    ['DH992', 1],
    ['DH990', 2],
  ]);
  expect(findings[0]!.message).toMatch(/internal error in this rule.*boom/);
});

describe('invalid fixture files yield DH000 with a line, never a crash', () => {
  test.each([
    ['empty/Dockerfile', 1, 'file with no instructions'],
    ['comments-only/Dockerfile', 1, 'file with no instructions'],
    ['env-without-value/Dockerfile', 3, 'ENV must have two arguments'],
    ['cmd-before-from/Dockerfile', 1, 'CMD before the first FROM: only ARG may come before FROM'],
    ['healthcheck/Dockerfile', 4, 'HEALTHCHECK requires at least one argument'],
  ])('%s', (path, line, message) => {
    const findings = lint(readFileSync(`${FIXTURES}invalid/${path}`, 'utf8')).filter(
      (f) => f.rule === 'DH000',
    );
    expect(findings).toContainEqual(expect.objectContaining({ line, message, severity: 'error' }));
  });
});

describe.skipIf(!corpus)('deliberately invalid corpus files yield DH000 with a line, never a crash', () => {
  test.each([
    ['testfiles-negative/empty_dockerfile/Dockerfile', 1, 'file with no instructions'],
    ['testfiles-negative/only_comments/Dockerfile', 1, 'file with no instructions'],
    ['testfiles-negative/env_no_value/Dockerfile', 3, 'ENV must have two arguments'],
    [
      'testfiles-negative/shykes-nested-json/Dockerfile',
      1,
      'CMD before the first FROM: only ARG may come before FROM',
    ],
    ['testfiles/health/Dockerfile', 4, 'HEALTHCHECK requires at least one argument'],
  ])('%s', (path, line, message) => {
    const findings = lint(readCorpus(`moby__buildkit/frontend/dockerfile/parser/${path}`)).filter(
      (f) => f.rule === 'DH000',
    );
    expect(findings).toContainEqual(expect.objectContaining({ line, message, severity: 'error' }));
  });
});
