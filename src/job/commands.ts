// Comment commands (`@dockhand recreate`, `ignore this major|minor|version|image`) and dashboard ticks
// that change what Dockhand remembers in its PR markers.
import type { PendingCommand } from '../queue/commands.js';
import type { RepoJobData } from '../queue/types.js';
import type { DashboardContext } from './dashboard.js';
import { targetOf } from './branches.js';
import { withMarker } from './marker.js';
import type { BranchPlan, KnownPull, PullMarker, RepoPlatform } from './types.js';

/**
 * Comment commands and dashboard ticks that change what Dockhand remembers: `recreate` lifts a closed
 * PR's "never again" (for good: the marker says so), `ignore this …` closes the PR and records the
 * ignore in its marker. Returns the PRs to recreate now, whatever the limits.
 */
export async function applyCommands(
  commands: readonly PendingCommand[],
  pulls: KnownPull[],
  plans: BranchPlan[],
  requests: DashboardContext['requests'],
  platform: RepoPlatform,
  mention: string,
): Promise<Set<number>> {
  const remember = async (known: KnownPull, marker: PullMarker, state?: 'closed'): Promise<void> => {
    const body = withMarker(known.pull.body, marker);
    await platform.updatePullRequest(known.pull.number, { body, ...(state ? { state } : {}) });
    known.pull = { ...known.pull, body, ...(state ? { state } : {}) };
    known.marker = marker;
  };
  const recreate = new Set([
    ...requests.flatMap((r) => (r.kind === 'recreate' ? [r.number] : [])),
    ...commands.flatMap((c) => (c.command === 'recreate' ? [c.number] : [])),
  ]);
  for (const known of pulls) {
    if (recreate.has(known.pull.number) && known.marker && known.pull.state === 'closed')
      await remember(known, { ...known.marker, recreated: true });
  }

  for (const { command, number } of commands) {
    if (!command.startsWith('ignore ')) continue;
    const known = pulls.find((k) => k.pull.number === number);
    // Not a Dockhand PR (no marker), or already refused.
    if (!known?.marker || known.marker.ignore) continue;
    const plan = plans.find((p) => p.branch === known.pull.head);
    const change = plan?.changes.find((c) => targetOf(c.dep, c.update) !== null) ?? plan?.changes[0];
    const image = change?.dep.depName ?? plan?.images[0];
    const scope = command.slice('ignore '.length);
    const ignore =
      image === undefined
        ? undefined
        : ignoreMarker(scope, image, (change && targetOf(change.dep, change.update)) ?? change?.dep.tag);
    // The comment below already says how to undo: no second "how to get it back" later.
    await remember(known, { ...known.marker, ...(ignore ? { ignore } : {}), notified: true }, 'closed');
    await platform.comment(
      number,
      ignore
        ? `Dockhand will not propose ${describeIgnore(ignore)} again. Comment \`${mention} recreate\` here to undo.`
        : `Closed. Dockhand will not propose this update again; comment \`${mention} recreate\` here to undo.`,
    );
  }
  return recreate;
}

/** The comment commands this run acts on: the repository's inbox, else the job's own command. */
export function commandsOf(data: RepoJobData): PendingCommand[] {
  if (data.commands) return data.commands;
  return data.reason === 'command' && data.command !== undefined && data.number !== undefined
    ? [{ command: data.command, number: data.number }]
    : [];
}

function ignoreMarker(
  scope: string,
  image: string,
  version: string | null | undefined,
): PullMarker['ignore'] {
  if (scope === 'image') return { scope: 'image', image };
  if (scope !== 'major' && scope !== 'minor' && scope !== 'version') return undefined;
  const release = (version ?? '').split(/[-_]/)[0] ?? '';
  const parts = release.split('.');
  const kept = scope === 'major' ? parts.slice(0, 1) : scope === 'minor' ? parts.slice(0, 2) : undefined;
  return { scope, image, version: kept ? kept.join('.') : (version ?? '') };
}

function describeIgnore(ignore: NonNullable<PullMarker['ignore']>): string {
  const name = ignore.image.replace(/^docker\.io\/(library\/)?/, '');
  if (ignore.scope === 'image') return `any update of ${name}`;
  const what = ignore.scope === 'version' ? 'version' : `${ignore.scope} version`;
  return `${name} ${what} ${ignore.version ?? ''}`.trim();
}
