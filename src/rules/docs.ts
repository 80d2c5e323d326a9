// Renders the rule catalog as markdown (docs/rules.md). Each rule gets a stable `#dhnnn` anchor that
// SARIF helpUri links and check-run annotations point at.
import type { Rule } from './types.js';

export function renderRulesMarkdown(catalog: readonly Rule[]): string {
  const sorted = [...catalog].sort((a, b) => a.id.localeCompare(b.id));
  const lines = [
    '# Dockhand lint rules',
    '',
    '<!-- Generated from src/rules by `npm run docs`; edit the rule files, not this page. -->',
    '',
    'Ignore a rule for one instruction with `# dockhand ignore=DH201 -- reason` on the line before it, for a whole',
    'file with `# dockhand global ignore=DH201`, or everywhere with `ignore: [DH201]` in `.github/dockhand.yml`.',
    "hadolint's `# hadolint ignore=DLnnnn` comments are honoured for the equivalent rules.",
    '',
    '| id | slug | severity | default | equivalents |',
    '|---|---|---|---|---|',
    ...sorted.map(
      (r) =>
        `| [${r.id}](#${r.id.toLowerCase()}) | ${r.slug} | ${r.severity} | ${r.enabledByDefault ? 'on' : 'off'} | ${r.equivalents.join(', ') || '—'} |`,
    ),
  ];
  for (const r of sorted) {
    lines.push(
      '',
      `<a id="${r.id.toLowerCase()}"></a>`,
      '',
      `## ${r.id} ${r.slug}`,
      '',
      `**${r.title}** — severity \`${r.severity}\`${r.enabledByDefault ? '' : ', off by default (switch it on with a `severity` entry)'}.`,
      '',
      r.docs.trim(),
    );
    if (r.equivalents.length) lines.push('', `Equivalents: ${r.equivalents.join(', ')}.`);
  }
  return lines.join('\n') + '\n';
}
