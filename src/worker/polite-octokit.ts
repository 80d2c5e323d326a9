// Spaces an installation's writes across every worker process: each request that creates or changes
// something first takes the installation's next write slot (src/queue/politeness.ts), as GitHub asks of
// integrations (about one content-creating request per second).
import type { OctokitLike } from '../platform/github/client.js';
import { waitForWriteSlot, type Politeness } from '../queue/politeness.js';

const READS = new Set(['GET', 'HEAD']);

export function politeOctokit(
  octokit: OctokitLike,
  politeness: Politeness,
  installationId: number,
  sleep?: (ms: number) => Promise<void>,
): OctokitLike {
  const { graphql } = octokit;
  return {
    request: async (route, parameters) => {
      const method = route.includes(' ') ? route.split(' ')[0]!.toUpperCase() : 'GET';
      if (!READS.has(method)) await waitForWriteSlot(politeness, installationId, sleep);
      return octokit.request(route, parameters);
    },
    // Octokit's own GraphQL client knows GitHub Enterprise Server's endpoint; Dockhand sends only
    // mutations through it (auto-merge), so each takes a write slot.
    ...(graphql && {
      graphql: async <T>(query: string, parameters?: Record<string, unknown>): Promise<T> => {
        await waitForWriteSlot(politeness, installationId, sleep);
        return graphql<T>(query, parameters);
      },
    }),
  };
}
