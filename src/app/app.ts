// The probot glue: each delivery goes through the pure trigger table, the redelivery guard and the
// enqueuer. Payloads are never logged (they carry emails, commit messages and private paths): deliveries
// come in through our own intake (size cap, signature) and log lines name only the delivery, event,
// action, installation, repository and outcome.

import type { ApplicationFunction, Context, Probot } from 'probot';
import type { Enqueuer } from '../queue/types.js';
import type { Dedupe } from './dedupe.js';
import { DEFAULT_MENTION } from './commands.js';
import { httpEndpoints } from './http.js';
import { replaceWebhookMiddleware } from './intake.js';
import { errorSummary } from './log.js';
import type { AppMetrics, WebhookOutcome } from './metrics.js';
import { decide, type Decision, type Job, type WebhookPayload } from './triggers.js';

/** The events handled; app.yml subscribes to all but the installation events, which GitHub always sends. */
export const EVENTS = [
  'installation',
  'installation_repositories',
  'push',
  'pull_request',
  'issues',
  'issue_comment',
  'check_run',
  'check_suite',
  'status',
] as const;

export interface AppDependencies {
  /** Hands jobs to the queues (src/queue's BullMQ enqueuer in production). */
  enqueuer: Enqueuer;
  dedupe: Dedupe;
  metrics: AppMetrics;
  /** Readiness for /readyz: Redis answers. */
  ready: () => Promise<boolean>;
  /** How users address the app in comment commands; default `@dockhand`. */
  mention?: string;
  /** Largest webhook body accepted; default GitHub's cap (intake.ts). */
  maxBodyBytes?: number;
}

export function createApp(deps: AppDependencies): ApplicationFunction {
  return (app: Probot, { addHandler }) => {
    replaceWebhookMiddleware(app, deps.maxBodyBytes);
    addHandler(httpEndpoints({ registry: deps.metrics.registry, ready: deps.ready }));
    app.on([...EVENTS], (context) => handleDelivery(context, deps));
  };
}

async function handleDelivery(context: Context, deps: AppDependencies): Promise<void> {
  const payload = context.payload as WebhookPayload;
  const log = context.log.child({
    event: context.name,
    action: payload.action,
    delivery: context.id,
    installation: payload.installation?.id,
    repository: payload.repository?.full_name,
  });
  const count = (outcome: WebhookOutcome) => deps.metrics.webhooks.inc({ event: context.name, outcome });

  let decision: Decision;
  try {
    decision = decide(context.name, payload, { mention: deps.mention ?? DEFAULT_MENTION });
  } catch (error) {
    // A payload of an unexpected shape (a signed one: GitHub's own).
    count('error');
    log.error({ error: errorSummary(error) }, 'could not read the delivery');
    return;
  }
  if (decision.action === 'ignore') {
    count('ignored');
    log.debug({ reason: decision.reason }, 'webhook ignored');
    return;
  }
  // A failure is logged (message and status) and counted, its redelivery claim given back, and the delivery
  // answered 500: GitHub shows it as failed, and a redelivery (GitHub's "Redeliver", or the deliveries API)
  // enqueues. Never a 2xx for a delivery whose jobs are not on a queue.
  let claimed = false;
  try {
    if (
      decision.requireWriteAccess &&
      !(await hasWriteAccess(context, payload, decision.requireWriteAccess))
    ) {
      count('denied');
      log.info('command refused: no write access');
      return;
    }
    const claim = await deps.dedupe.claim(context.id);
    if (claim === 'seen') {
      count('duplicate');
      log.info('redelivered webhook ignored');
      return;
    }
    if (claim === 'in-flight') throw new NotEnqueuedError('another delivery of this id is being enqueued');
    claimed = true;
    for (const job of decision.jobs) await enqueue(deps, job);
  } catch (error) {
    if (claimed) await deps.dedupe.release(context.id).catch(() => undefined);
    count('error');
    log.error({ error: errorSummary(error) }, 'could not enqueue');
    throw new NotEnqueuedError('delivery not enqueued; answered 500 so that it can be redelivered');
  }
  // The jobs are queued: a guard that cannot record it lets a redelivery enqueue them again once the
  // pending claim has run out, which the queues' deduplication absorbs.
  await deps.dedupe
    .confirm(context.id)
    .catch((error: unknown) =>
      log.warn({ error: errorSummary(error) }, 'enqueued, but the redelivery guard could not record it'),
    );
  count('enqueued');
  log.info({ jobs: decision.jobs.map(describe) }, 'enqueued');
}

/** Thrown to the intake, which answers 500: the delivery's jobs are not on a queue. */
export class NotEnqueuedError extends Error {
  override readonly name = 'NotEnqueuedError';
}

async function enqueue(deps: AppDependencies, job: Job): Promise<void> {
  if (job.queue === 'crawl') await deps.enqueuer.enqueueCrawl(job.data);
  else await deps.enqueuer.enqueueRepo(job.data);
  deps.metrics.jobsEnqueued.inc({ queue: job.queue, reason: job.data.reason });
}

function describe(job: Job): string {
  return job.queue === 'crawl' ? `crawl ${job.data.installationId}` : `repo ${job.data.repository}`;
}

/** Admin or write (maintain counts as write) on the repository; not a collaborator at all is a no. */
async function hasWriteAccess(context: Context, payload: WebhookPayload, username: string): Promise<boolean> {
  const [owner, repo] = (payload.repository?.full_name ?? '').split('/');
  if (!owner || !repo) return false;
  try {
    const { data } = await context.octokit.rest.repos.getCollaboratorPermissionLevel({
      owner,
      repo,
      username,
    });
    return data.permission === 'admin' || data.permission === 'write';
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}
