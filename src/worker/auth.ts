// Installation clients for workers, made by probot from the same environment the webhook server reads
// (APP_ID, PRIVATE_KEY (PEM or base64) or PRIVATE_KEY_PATH, GHE_HOST/GHE_PROTOCOL, LOG_LEVEL, LOG_FORMAT),
// so tokens are minted, cached and refreshed by probot's own auth strategy and the API base URL is
// probot's (`${GHE_PROTOCOL}://${GHE_HOST}/api/v3` on GitHub Enterprise Server).
import { createProbot, ProbotOctokit, type Logger, type Probot } from 'probot';

/** APP_ID or the private key is absent or unreadable: the worker cannot act as the app. */
export class MissingCredentialsError extends Error {
  override readonly name = 'MissingCredentialsError';
}

export interface GitHubAppOptions {
  /**
   * Octokit's in-process throttling (per-installation write spacing; default on). Rate limits are never
   * waited out in-process either way: they reach the job as errors, and the queue waits for the whole
   * installation across workers (src/queue/politeness.ts).
   */
  throttle?: boolean;
}

export interface GitHubApp {
  /** One client per installation and process; probot mints its token on first use and renews it. */
  octokitForInstallation(installationId: number): Promise<InstanceType<typeof ProbotOctokit>>;
  /** probot's pino logger (LOG_LEVEL, LOG_FORMAT), ready once the app is. */
  log(): Promise<Logger>;
}

/** Reads the app's credentials; throws MissingCredentialsError with what to set, never with the key. */
export function githubAppFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: GitHubAppOptions = {},
): GitHubApp {
  const appId = env.APP_ID?.trim();
  if (!appId || !/^\d+$/.test(appId))
    throw new MissingCredentialsError(
      appId
        ? `APP_ID must be the GitHub App's numeric id (got ${JSON.stringify(appId)})`
        : 'APP_ID is not set',
    );
  let probot: Probot;
  try {
    probot = createProbot({
      env: { LOG_LEVEL: 'info', ...env, APP_ID: appId },
      overrides: {
        Octokit: workerOctokit(options.throttle ?? true),
        // probot would cluster its throttling through REDIS_URL by fetching a second ioredis at run time;
        // workers share limits through the queue's Politeness instead.
        redisConfig: undefined,
      },
    });
  } catch (error) {
    // probot swallows the key reader's explanation and says "privateKey option is required".
    const message = error instanceof Error ? error.message : '';
    if (/privateKey/i.test(message))
      throw new MissingCredentialsError(
        'no GitHub App private key: set PRIVATE_KEY (PEM, or base64 of it) or PRIVATE_KEY_PATH (a readable PEM file)',
      );
    throw error;
  }
  const clients = new Map<number, ReturnType<Probot['auth']>>();
  return {
    octokitForInstallation: (installationId) => {
      let client = clients.get(installationId);
      if (!client) {
        client = probot.auth(installationId);
        // A failed setup is not kept: the next job asks again.
        client.catch(() => clients.delete(installationId));
        clients.set(installationId, client);
      }
      return client;
    },
    log: async () => {
      await probot.auth();
      return probot.log;
    },
  };
}

/**
 * probot's Octokit with rate limits handed back to the caller instead of slept through: a worker slot
 * must not wait an hour for a quota reset while other installations' jobs queue.
 */
function workerOctokit(throttle: boolean): typeof ProbotOctokit {
  return ProbotOctokit.defaults((instanceOptions: Record<string, unknown>) => ({
    ...instanceOptions,
    throttle: throttle
      ? {
          ...(instanceOptions.throttle as object | undefined),
          onRateLimit: () => false,
          onSecondaryRateLimit: () => false,
        }
      : { enabled: false },
  }));
}
