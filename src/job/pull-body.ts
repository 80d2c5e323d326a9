// The pull request body: what changes (a table), why it matters, how to make Dockhand stop, and the
// hidden marker last. Pure: `now` comes from the caller.
import { isPackageDependency } from '../core/package-dependency.js';
import type { PlannedChange, BranchGroup, BranchPlan, PullMarker } from './types.js';
import { displayName } from './branches.js';
import { renderMarker } from './marker.js';

/** GitHub refuses bodies over 65,536 characters; stay well below. */
export const MAX_BODY_CHARS = 60_000;

export interface PullBodyContext {
  /** How the app is addressed in comments, `@dockhand`. */
  mention: string;
  now: number;
  marker: PullMarker;
  notes?: string[];
}

const WHY: Record<BranchGroup, string> = {
  version:
    'Patch and minor releases of base images carry bug fixes and fixes for known vulnerabilities (CVEs) in ' +
    'the operating system packages and runtimes they ship. Staying on a current release of your major line ' +
    'keeps those fixes flowing in.',
  'pin-digests':
    'A tag can be moved to a different image at any time. Pinning the digest makes every build use exactly ' +
    'the image that was reviewed, so builds are repeatable; Dockhand keeps the pins fresh with digest refreshes.',
  digests:
    'The tags you use were rebuilt upstream, usually to pick up security patches of the base system. ' +
    'Refreshing the pinned digests brings those rebuilt images into your builds while the versions stay the same.',
};
const WHY_PACKAGES =
  'New releases of the libraries your image ships fix bugs and known vulnerabilities. Each update is a ' +
  'commit, so your CI rebuilds and tests the image with it — also when nobody else works on the project.';
const WHY_MAJOR =
  'This includes a new major version, which may change behaviour: read its release notes before merging.';

function why(plan: BranchPlan): string {
  const packages = plan.changes.some((c) => isPackageDependency(c.dep));
  const images = plan.changes.some((c) => !isPackageDependency(c.dep));
  const reasons = [...(images ? [WHY[plan.group]] : []), ...(packages ? [WHY_PACKAGES] : [])];
  if (plan.changes.some((c) => c.update.type === 'major')) reasons.push(WHY_MAJOR);
  return reasons.join(' ');
}

export function renderPullBody(plan: BranchPlan, context: PullBodyContext): string {
  const head = [intro(plan), ''];
  const tail = [
    ...(plan.runtimeExclusions?.length
      ? [
          '',
          '### Dependencies that may not run on the new version',
          '',
          'These locked packages declare a runtime the new image does not provide; update them first or with this change:',
          '',
          ...plan.runtimeExclusions.map((line) => `- ${line}`),
        ]
      : []),
    '',
    '### Why this matters',
    '',
    why(plan),
    '',
    '### How to ignore',
    '',
    ...howToIgnore(context.mention),
    ...(context.notes && context.notes.length > 0
      ? ['', '### Notes', '', ...context.notes.map((n) => `- ${n}`)]
      : []),
    '',
    renderMarker(context.marker),
  ];
  const what = plan.changes.some((c) => isPackageDependency(c.dep)) ? 'Dependency' : 'Image';
  const header = [`| ${what} | File | Change | Type | Age |`, '| --- | --- | --- | --- | --- |'];
  const rows = plan.changes.map((change) => row(change, context.now));
  const fixed = [...head, ...header, ...tail].join('\n').length;
  const all = rows.reduce((sum, line) => sum + line.length + 1, fixed);
  // Room for the line that says how many rows were left out, when some must be.
  const reserve = all > MAX_BODY_CHARS ? omitted(rows.length).length + 2 : 0;
  const kept: string[] = [];
  let length = fixed + reserve;
  for (const line of rows) {
    if (length + line.length + 1 > MAX_BODY_CHARS) break;
    kept.push(line);
    length += line.length + 1;
  }
  const table = [...header, ...kept];
  if (kept.length < rows.length) table.push('', omitted(rows.length - kept.length));
  return [...head, ...table, ...tail].join('\n');
}

function intro(plan: BranchPlan): string {
  const count = plan.changes.length;
  const packages = plan.changes.filter((c) => isPackageDependency(c.dep)).length;
  const images = count - packages;
  const references = [
    ...(images ? [images === 1 ? 'one image reference' : `${images} image references`] : []),
    ...(packages ? [packages === 1 ? 'one dependency' : `${packages} dependencies`] : []),
  ].join(' and ');
  switch (plan.group) {
    case 'version':
      return `Dockhand updates ${references} to newer releases.`;
    case 'pin-digests':
      return `Dockhand pins ${references} to the digest ${count === 1 ? 'its tag points' : 'their tags point'} at today.`;
    case 'digests':
      return `Dockhand refreshes the pinned digest${count === 1 ? '' : 's'} of ${references}: the tags were rebuilt.`;
  }
}

function howToIgnore(mention: string): string[] {
  return [
    'Close this pull request and Dockhand will not propose this update again. Or comment:',
    '',
    `- \`${mention} ignore this major\`: no more updates to this major version of these images`,
    `- \`${mention} ignore this minor\`: no more updates to this minor version`,
    `- \`${mention} ignore this version\`: not this exact version`,
    `- \`${mention} ignore this image\`: no more pull requests for these images`,
    `- \`${mention} rebase\`: rebuild this branch on the current base branch (drops commits others pushed)`,
    `- \`${mention} recreate\`: on a closed pull request, propose it again`,
  ];
}

function row(change: PlannedChange, now: number): string {
  const { dep, update } = change;
  if (isPackageDependency(dep)) return packageRow(change, now);
  const fromTag = dep.tag ?? 'latest';
  const from = reference(fromTag, dep.digest);
  const to = reference(
    update.newValue ?? fromTag,
    update.newDigest ?? (update.newValue === null ? dep.digest : null),
  );
  const cells = [
    displayName(dep),
    `${change.path}:${dep.line}`,
    `${from} → ${to}`,
    update.type,
    update.releaseTimestamp ? age(Date.parse(update.releaseTimestamp), now) : '',
  ];
  return `| ${cells.map(cell).join(' | ')} |`;
}

/** `^4.18.0 → ^5.0.0 (locked 4.18.1 → 5.0.0)`: the written value, and the version in use when it differs. */
function packageRow(change: PlannedChange, now: number): string {
  const { dep, update } = change;
  const written = dep.currentValue ?? '';
  const next = update.newValue ?? written;
  const locked = dep.lockedVersion ? ` (locked ${dep.lockedVersion} → ${update.newVersion ?? ''})` : '';
  const cells = [
    `${displayName(dep)} (${dep.datasource})`,
    `${change.path}:${dep.line}`,
    `${written} → ${next}${locked}`,
    update.type,
    update.releaseTimestamp ? age(Date.parse(update.releaseTimestamp), now) : '',
  ];
  return `| ${cells.map(cell).join(' | ')} |`;
}

function reference(tag: string, digest: string | null): string {
  return digest ? `${tag} (${shortDigest(digest)})` : tag;
}

/** `sha256:abcd1234…`: enough to tell digests apart in a table. */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return hex === undefined ? digest : `${algorithm}:${hex.slice(0, 8)}${hex.length > 8 ? '…' : ''}`;
}

const UNITS: [string, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

/** `3 days`: the largest whole unit, `less than a minute` below that; empty for unknown dates. */
export function age(then: number, now: number): string {
  if (Number.isNaN(then)) return '';
  const elapsed = Math.max(0, now - then);
  for (const [unit, ms] of UNITS) {
    const count = Math.floor(elapsed / ms);
    if (count >= 1) return `${count} ${unit}${count === 1 ? '' : 's'}`;
  }
  return 'less than a minute';
}

/** A table cell: no line breaks, `|` and backticks escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/[|`\\]/g, (c) => `\\${c}`);
}

function omitted(count: number): string {
  return `${count} more change${count === 1 ? '' : 's'} left out to keep this description short.`;
}
