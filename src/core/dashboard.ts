// The dependency dashboard issue as both sides see it: its label, and which checkboxes an edit ticked. Shared by
// the webhook layer (a tick enqueues a run) and the repository job (a tick is a request), below both.

const CHECKBOX = /^\s*[-*+]\s+\[([ xX])\]\s+(.*\S)\s*$/;

/** The label Dockhand puts on its dependency dashboard issue. */
export const DASHBOARD_LABEL = 'dockhand-dashboard';

/** Lines ticked in `after` that were not ticked in `before` (by their text after the box). */
export function newlyTicked(before: string | null | undefined, after: string | null | undefined): string[] {
  const wasTicked = ticked(before);
  return [...ticked(after)].filter((line) => !wasTicked.has(line));
}

function ticked(body: string | null | undefined): Set<string> {
  const lines = new Set<string>();
  for (const line of (body ?? '').split(/\r?\n/)) {
    const match = CHECKBOX.exec(line);
    if (match && match[1] !== ' ') lines.add(match[2]!);
  }
  return lines;
}
