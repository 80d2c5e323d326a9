import { createRequire } from 'node:module';
import type AjvDraft04 from 'ajv-draft-04';
import type addFormatsPlugin from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { rules } from '../../src/rules/index.js';
import { renderSarif, toSarif } from '../../src/output/sarif.js';
import { scanDirectory, type ScanResult } from '../../src/scan/scan.js';
import { corpus, FIXTURES } from '../support/corpus.js';
import { sampleResult } from './sample.js';

// The SARIF 2.1.0 JSON schema (release 2.1.0-rtm.5, the schema the OASIS standard was approved with), as
// shipped in Microsoft's @microsoft/jest-sarif package. It is a draft-04 schema, hence ajv-draft-04.
const require = createRequire(import.meta.url);
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
// Both are CommonJS with the class/function on `default`.
const Ajv = (require('ajv-draft-04') as typeof AjvDraft04).default;
const addFormats = (require('ajv-formats') as typeof addFormatsPlugin).default;

/** The parts of a SARIF log these tests look at. */
interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: SarifRule[] } };
    results: SarifResult[];
  }[];
}
interface SarifRule {
  id: string;
  name: string;
  helpUri: string;
  help?: { text?: string; markdown?: string };
  shortDescription?: { text?: string };
  properties?: { tags?: string[]; 'security-severity'?: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message?: { text?: string };
  locations?: {
    physicalLocation?: {
      artifactLocation?: { uri?: string };
      region?: { startLine?: number; endLine?: number };
    };
  }[];
  partialFingerprints?: Record<string, string>;
}

const sarifOf = (result: ScanResult): SarifLog => toSarif(result) as SarifLog;

function validate(log: unknown): string[] {
  // unicodeRegExp off: the schema's `language` pattern has a stray `]` that only the `u` flag rejects.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const check = ajv.compile(schema);
  return check(log) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

// What GitHub code scanning requires beyond the schema (docs: "SARIF support for code scanning").
function githubProblems(log: SarifLog, text: string): string[] {
  const problems: string[] = [];
  if (Buffer.byteLength(text) >= 10 * 1024 * 1024) problems.push('file is 10 MB or more');
  if (log.version !== '2.1.0' || log.runs.length !== 1) problems.push('one 2.1.0 run expected');
  const run = log.runs[0]!;
  if (!run.tool.driver.name || !run.tool.driver.version) problems.push('driver needs name and version');
  if (run.results.length > 25_000) problems.push('more than 25,000 results');
  const ids = new Set<string>();
  for (const rule of run.tool.driver.rules) {
    ids.add(rule.id);
    if (!rule.help?.text || !rule.help?.markdown) problems.push(`${rule.id}: no help`);
    if (!/^https:\/\//.test(rule.helpUri)) problems.push(`${rule.id}: helpUri`);
    if (!rule.shortDescription?.text || rule.shortDescription.text.length > 1024)
      problems.push(`${rule.id}: shortDescription`);
    if ((rule.properties?.tags ?? []).length > 20) problems.push(`${rule.id}: too many tags`);
    const score = rule.properties?.['security-severity'];
    if (score !== undefined && !(Number(score) >= 0 && Number(score) <= 10))
      problems.push(`${rule.id}: security-severity`);
  }
  run.results.forEach((result, index) => {
    const where = `result ${index}`;
    if (!ids.has(result.ruleId) || run.tool.driver.rules[result.ruleIndex]?.id !== result.ruleId)
      problems.push(`${where}: rule`);
    if (!['error', 'warning', 'note'].includes(result.level))
      problems.push(`${where}: level ${result.level}`);
    if (!result.message?.text) problems.push(`${where}: message`);
    const location = result.locations?.[0]?.physicalLocation;
    const uri: string | undefined = location?.artifactLocation?.uri;
    if (!uri || /^[a-z]+:|^\//i.test(uri)) problems.push(`${where}: uri ${uri}`);
    if (!((location?.region?.startLine ?? 0) >= 1)) problems.push(`${where}: startLine`);
    if ((location?.region?.endLine ?? Infinity) < (location?.region?.startLine ?? 0))
      problems.push(`${where}: endLine`);
    if (!result.partialFingerprints || Object.keys(result.partialFingerprints).length === 0)
      problems.push(`${where}: fingerprint`);
  });
  return problems;
}

/** A tree scanned with its own configuration. */
async function scanTree(dir: string): Promise<ScanResult> {
  const { config } = await loadConfig(dir);
  return scanDirectory(dir, config);
}

/** The result's SARIF log is valid for the schema and for GitHub code scanning. */
function expectValidSarif(result: ScanResult): void {
  const text = renderSarif(result);
  const log = JSON.parse(text) as SarifLog;
  expect(validate(log)).toEqual([]);
  expect(githubProblems(log, text)).toEqual([]);
}

describe('SARIF output', () => {
  let fixtures: ScanResult;
  beforeAll(async () => {
    fixtures = await scanTree(FIXTURES);
  });

  it('validates against the SARIF 2.1.0 schema and GitHub constraints (sample and fixture tree)', () => {
    expectValidSarif(sampleResult());
    expectValidSarif(fixtures);
    // Every rule level and a parse error among them.
    expect(new Set(fixtures.findings.map((finding) => finding.severity))).toEqual(
      new Set(['error', 'warning', 'info']),
    );
    expect(fixtures.findings.some((finding) => finding.rule === 'DH000')).toBe(true);
  });

  it('describes every catalog rule and maps levels', () => {
    const log = sarifOf(sampleResult());
    const driver = log.runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: 'Dockhand', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(driver.rules.map((rule) => rule.id)).toEqual(expect.arrayContaining(rules.map((rule) => rule.id)));
    const results = log.runs[0]!.results;
    expect(results.map((r) => r.level)).toEqual(['warning', 'error', 'note']);
    expect(results[1]!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'app/Dockerfile', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, endLine: 5 },
    });
    expect(results[2]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe(
      'web%20site/a%23b.Dockerfile',
    );
    const rule = driver.rules[results[1]!.ruleIndex];
    expect(rule).toMatchObject({ id: 'DH201', name: 'final-stage-root' });
    expect(rule!.helpUri).toBe('https://github.com/dockhand/dockhand/blob/main/docs/rules.md#dh201');
  });

  it('fingerprints findings by what they say, not where they are', () => {
    const moved = sampleResult();
    moved.findings = moved.findings.map((finding) => ({ ...finding, line: finding.line + 10 }));
    const prints = (result: ScanResult) => sarifOf(result).runs[0]!.results.map((r) => r.partialFingerprints);
    expect(prints(moved)).toEqual(prints(sampleResult()));
    const twice = sampleResult();
    twice.findings.push({ ...twice.findings[0]!, line: 9 });
    const [first, , , again] = prints(twice);
    expect(first).not.toEqual(again);
  });
});

describe.skipIf(!corpus)('SARIF output of the whole corpus', () => {
  it('validates against the SARIF 2.1.0 schema and GitHub constraints', async () => {
    const result = await scanTree(corpus!);
    expectValidSarif(result);
    expect(result.findings.length).toBeGreaterThan(0);
  });
});
