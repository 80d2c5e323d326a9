// Comment commands on Dockhand pull requests: `@dockhand rebase`, `recreate`, `ignore this major|minor|
// version|image`. Pure parsing; who may command is decided elsewhere.

/** What a command asks for, as carried in `RepoJobData.command`. */
export type Command =
  'rebase' | 'recreate' | 'ignore major' | 'ignore minor' | 'ignore version' | 'ignore image';

/** How users address the app unless DOCKHAND_MENTION says otherwise. */
export const DEFAULT_MENTION = '@dockhand';

const IGNORE_SCOPES = new Set(['major', 'minor', 'version', 'image']);

/**
 * The first command in `body` addressed to `mention` (e.g. `@dockhand`), or undefined. A command must start
 * a line (so quoted replies, `> @dockhand rebase`, and mentions inside prose do nothing); case is ignored.
 */
export function parseCommand(body: string | null | undefined, mention: string): Command | undefined {
  if (!body) return undefined;
  const handle = mention.toLowerCase();
  for (const line of body.split(/\r?\n/)) {
    const words = line.trim().toLowerCase().split(/\s+/);
    if (words[0] !== handle) continue;
    const command = toCommand(words.slice(1));
    if (command) return command;
  }
  return undefined;
}

function toCommand(words: string[]): Command | undefined {
  const [verb, ...rest] = words;
  if ((verb === 'rebase' || verb === 'recreate') && rest.length === 0) return verb;
  if (verb !== 'ignore' || rest.length !== 2 || rest[0] !== 'this') return undefined;
  const scope = rest[1]!;
  return IGNORE_SCOPES.has(scope) ? (`ignore ${scope}` as Command) : undefined;
}
