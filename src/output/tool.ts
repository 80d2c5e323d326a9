// Facts about Dockhand itself that reports carry.
import { readFileSync } from 'node:fs';

export const TOOL_NAME = 'Dockhand';
export const INFORMATION_URI = 'https://github.com/dockhand/dockhand';
/** Each rule has an anchor named after its lower-case id in the rule catalog. */
const RULE_DOCS_BASE = 'https://github.com/dockhand/dockhand/blob/main/docs/rules.md';

export function ruleDocsUri(ruleId: string): string {
  return `${RULE_DOCS_BASE}#${ruleId.toLowerCase()}`;
}

let version: string | undefined;

/** From package.json, which sits one level above both src/ and dist/. */
export function toolVersion(): string {
  version ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return version;
}
