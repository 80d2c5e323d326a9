// SARIF 2.1.0 for GitHub code scanning: one run, every rule of the catalog in tool.driver.rules, one
// result per finding with a relative path under %SRCROOT%.
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../core/types.js';
import { rules as catalog } from '../rules/index.js';
import type { Rule } from '../rules/types.js';
import type { ScanResult } from '../scan/scan.js';
import { eagerList, jsonChunks, lazyList, type ListOf } from './json-chunks.js';
import { INFORMATION_URI, TOOL_NAME, ruleDocsUri, toolVersion } from './tool.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** Rule families by the hundreds digit of the id, as in the catalog. */
const CATEGORIES: Record<string, { tag: string; security: boolean }> = {
  '0': { tag: 'correctness', security: false },
  '1': { tag: 'secrets', security: true },
  '2': { tag: 'non-root', security: true },
  '3': { tag: 'maintenance', security: false },
  '5': { tag: 'supply-chain', security: true },
  '6': { tag: 'image-size', security: false },
  '7': { tag: 'pinning', security: false },
  '8': { tag: 'metadata', security: false },
  '9': { tag: 'correctness', security: false },
};
/** GitHub ranks security alerts by this CVSS-like score: high, medium, low. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.5', info: '2.0' };

export function renderSarif(result: ScanResult): string {
  return [...renderSarifChunks(result)].join('');
}

/** The same text in pieces, each result mapped only as it is written. */
export function* renderSarifChunks(result: ScanResult): Generator<string> {
  yield* jsonChunks(sarifLog(result, lazyList));
  yield '\n';
}

export function toSarif(result: ScanResult): object {
  return sarifLog(result, eagerList);
}

function sarifLog(result: ScanResult, list: ListOf): object {
  const rules: RuleMetadata[] = [...catalog];
  // A finding from a rule missing in the catalog (should not happen) still gets a descriptor.
  for (const finding of result.findings) {
    if (!rules.some((rule) => rule.id === finding.rule)) rules.push(placeholderRule(finding));
  }
  const indexOf = new Map(rules.map((rule, index) => [rule.id, index]));
  const fingerprints = new Fingerprints();
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: toolVersion(),
            informationUri: INFORMATION_URI,
            rules: rules.map(ruleDescriptor),
          },
        },
        results: list(result.findings, (finding) => ({
          ruleId: finding.rule,
          ruleIndex: indexOf.get(finding.rule)!,
          level: LEVELS[finding.severity],
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relativeUri(finding.path), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: finding.line,
                  ...(finding.endLine !== undefined &&
                    finding.endLine > finding.line && { endLine: finding.endLine }),
                },
              },
            },
          ],
          partialFingerprints: { 'dockhand/v1': fingerprints.next(finding) },
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

type RuleMetadata = Pick<Rule, 'id' | 'slug' | 'severity' | 'enabledByDefault' | 'title' | 'docs'>;

/** Each segment percent-encoded, so names with spaces, `#` or `?` stay one relative path. */
function relativeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function ruleDescriptor(rule: RuleMetadata): object {
  const category = CATEGORIES[rule.id.charAt(2)];
  return {
    id: rule.id,
    name: rule.slug,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.docs },
    helpUri: ruleDocsUri(rule.id),
    help: { text: rule.docs, markdown: rule.docs },
    defaultConfiguration: { enabled: rule.enabledByDefault, level: LEVELS[rule.severity] },
    properties: {
      tags: ['dockerfile', ...(category ? [category.tag] : []), ...(category?.security ? ['security'] : [])],
      ...(category?.security && { 'security-severity': SECURITY_SEVERITY[rule.severity] }),
    },
  };
}

function placeholderRule(finding: Finding): RuleMetadata {
  const { rule: id, slug, severity } = finding;
  return { id, slug, severity, enabledByDefault: true, title: slug, docs: slug };
}

/**
 * Alerts must survive edits that move lines, so the fingerprint hashes what the finding is about (rule,
 * file, message) and not where it is; the n-th identical finding in a file gets its own suffix.
 */
class Fingerprints {
  readonly #seen = new Map<string, number>();

  next(finding: Finding): string {
    const hash = createHash('sha256')
      .update(`${finding.rule}\0${finding.path}\0${finding.message}`)
      .digest('hex');
    const occurrence = (this.#seen.get(hash) ?? 0) + 1;
    this.#seen.set(hash, occurrence);
    return `${hash.slice(0, 32)}:${occurrence}`;
  }
}
