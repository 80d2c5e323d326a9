// The webhook server's logger: probot's own (pino through @probot/pino's formatting, from the same
// LOG_* variables), except that no line can carry a delivery's payload or headers. probot and
// @octokit/webhooks attach the whole delivery to the errors they log (`err.event`), pino-http logs every
// request's headers, and Octokit errors carry their request and response; these are cut here, in the
// logger every part of probot writes through.

import { getTransformStream } from '@probot/pino';
import { pino, type Logger } from 'pino';

export interface ServerLogOptions {
  level: string;
  format: 'json' | 'pretty';
  levelInString: boolean;
  messageKey: string;
  sentryDsn?: string;
}

/** LOG_LEVEL, LOG_FORMAT, LOG_LEVEL_IN_STRING, LOG_MESSAGE_KEY and SENTRY_DSN, read as probot's `run` reads them. */
export function logOptionsFromEnv(env: NodeJS.ProcessEnv): ServerLogOptions {
  const format = env.LOG_FORMAT
    ? env.LOG_FORMAT === 'pretty'
      ? 'pretty'
      : 'json'
    : env.NODE_ENV === 'production'
      ? 'json'
      : 'pretty';
  return {
    level: env.LOG_LEVEL || 'info',
    format,
    levelInString: env.LOG_LEVEL_IN_STRING === 'true',
    messageKey: env.LOG_MESSAGE_KEY || 'msg',
    ...(env.SENTRY_DSN ? { sentryDsn: env.SENTRY_DSN } : {}),
  };
}

/** Writes to standard output, or to `destination` (tests). */
export async function createServerLog(
  options: ServerLogOptions,
  destination: NodeJS.WritableStream = process.stdout,
): Promise<Logger> {
  const transform = await getTransformStream({
    logFormat: options.format,
    logLevelInString: options.levelInString,
    sentryDsn: options.sentryDsn,
  });
  transform.pipe(destination);
  return pino(
    {
      level: options.level,
      name: 'probot',
      messageKey: options.messageKey,
      // Children inherit both, except that pino-http brings its own req/res/err serializers: the
      // redaction below still applies to what they produce.
      serializers: { err: errorSummary, error: errorSummary },
      redact: { paths: REDACTED_PATHS, censor: redact },
    },
    transform,
  );
}

/**
 * Cut from every line: request and response headers and the request id (pino-http takes it from
 * X-Request-Id or X-GitHub-Delivery), the delivery that probot and @octokit/webhooks attach to errors and
 * `Probot.receive` logs (`event`, an object; an event *name* stays), Octokit's request and response, and
 * the stack pino-http's own error serializer adds.
 */
const REDACTED_PATHS = [
  'req.headers',
  'req.id',
  'res.headers',
  'event',
  'payload',
  'err.event',
  'err.stack',
  'err.request',
  'err.response',
  'err.headers',
  'err.aggregateErrors[*].event',
];

/** Removes the value (a censor that returns undefined drops the key), but keeps an event name. */
function redact(value: unknown, path: string[]): unknown {
  return path.length === 1 && path[0] === 'event' && typeof value === 'string' ? logToken(value) : undefined;
}

/**
 * A header value that is shown in logs (delivery id, event name): only as a short token. Deliveries
 * that are turned away are unauthenticated, so their headers say whatever their sender wants.
 */
export function logToken(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  return /^[\w.-]{1,100}$/.test(text) ? text : '(invalid)';
}

export interface ErrorSummary {
  type?: string;
  message: string;
  status?: number;
}

/**
 * What an error may show in a log: its type, message and HTTP status. Nothing else, not even the stack:
 * probot and @octokit/webhooks attach the delivery to errors they log, Octokit errors carry request and
 * response with their headers.
 */
export function errorSummary(error: unknown): ErrorSummary {
  const { name, type, message, status } = (error ?? {}) as Record<string, unknown>;
  // A summary passes through unchanged (the `error` serializer sees the ones our code logs).
  const kind = error instanceof Error ? name : type;
  return {
    ...(typeof kind === 'string' ? { type: kind } : {}),
    message: typeof message === 'string' ? message : String(error),
    ...(typeof status === 'number' ? { status } : {}),
  };
}
