// The webhook route, in place of @octokit/webhooks' middleware, which buffers any body whole before
// looking at it and logs a rejected delivery with its payload. Here a body over GitHub's cap is refused
// before it is read (or as soon as a chunked one goes over), the signature is checked before the body is
// parsed, and the delivery reaches probot's handlers with a payload that no log line can print.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, Probot } from 'probot';
import { readBody } from './body.js';
import { errorSummary, logToken } from './log.js';

/** GitHub caps webhook payloads at 25 MB (taken as MiB, to be generous): nothing larger is a delivery. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

const JSON_CONTENT_TYPE = /^\s*application\/json\s*(?:;|$)/i;

/** How a delivery that reached the route ended, as logged. */
export type IntakeOutcome =
  | 'accepted'
  | 'failed'
  | 'too-large'
  | 'bad-signature'
  | 'invalid-json'
  | 'unsupported-content-type'
  | 'missing-headers'
  | 'aborted';

export interface IntakeOptions {
  /** probot's webhooks: they hold the secret (`verify`) and the handlers (`receive`). */
  webhooks: Pick<Probot['webhooks'], 'verify' | 'receive'>;
  /** The webhook route, e.g. `/api/github/webhooks`. */
  path: string;
  log: Logger;
  maxBodyBytes?: number;
}

/** Answers the webhook route; false for any other request, which the next handler serves. */
export type Intake = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

type ReceivedEvent = Parameters<IntakeOptions['webhooks']['receive']>[0];

/**
 * Serves the webhook route in place of probot's middleware: probot's Server and createNodeMiddleware both
 * ask the app's Probot for it (`getNodeMiddleware`) once the app is loaded, and put it first. (Should a
 * probot release ask earlier, test/app/intake.test.ts, which runs probot's Server, fails.)
 */
export function replaceWebhookMiddleware(app: Probot, maxBodyBytes = MAX_BODY_BYTES): void {
  app.getNodeMiddleware = async ({ path } = {}) =>
    webhookIntake({
      webhooks: app.webhooks,
      path: path ?? app.webhookPath,
      log: app.log.child({ name: 'webhooks' }),
      maxBodyBytes,
    });
}

export function webhookIntake(options: IntakeOptions): Intake {
  const route = withoutTrailingSlashes(options.path);
  const maxBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  return async (req, res) => {
    if (pathOf(req.url) !== route) return false;
    if (req.method !== 'POST') {
      answer(res, 404, 'Not found', { close: true });
      return true;
    }
    const delivery = header(req, 'x-github-delivery');
    const event = header(req, 'x-github-event');
    const signature = header(req, 'x-hub-signature-256');
    // Only these two, as tokens: the headers of a delivery that is turned away are anyone's.
    const ids = { delivery: logToken(delivery), event: logToken(event) };
    const reject = (status: number, outcome: IntakeOutcome, message: string, close: boolean) => {
      options.log.warn({ ...ids, outcome }, `webhook rejected: ${outcome}`);
      answer(res, status, message, { close });
      return true;
    };

    // Refused before the body is read: the connection is closed rather than drained.
    if (!JSON_CONTENT_TYPE.test(req.headers['content-type'] ?? ''))
      return reject(415, 'unsupported-content-type', 'Content-Type must be application/json', true);
    if (!delivery || !event || !signature)
      return reject(
        400,
        'missing-headers',
        'Required: X-GitHub-Event, X-GitHub-Delivery, X-Hub-Signature-256',
        true,
      );

    const body = await readBody(req, maxBytes);
    if (body.kind === 'too-large')
      return reject(413, 'too-large', `Payloads are limited to ${maxBytes} bytes`, true);
    if (body.kind === 'aborted') {
      options.log.info({ ...ids, outcome: 'aborted' }, 'webhook aborted by the client');
      res.destroy();
      return true;
    }

    const text = body.bytes.toString('utf8');
    const verified = await options.webhooks.verify(text, signature).catch(() => false);
    if (!verified) return reject(400, 'bad-signature', 'Signature does not match', false);
    const payload = parseObject(text);
    if (!payload) return reject(400, 'invalid-json', 'Payload must be a JSON object', false);

    const log = options.log.child({ ...ids, ...describe(payload) });
    try {
      await options.webhooks.receive(deliveryEvent(delivery, event, payload));
    } catch (error) {
      log.error({ outcome: 'failed', error: errorSummary(error) }, 'webhook handler failed');
      answer(res, 500, 'Handler failed', { close: false });
      return true;
    }
    log.debug({ outcome: 'accepted' }, 'webhook accepted');
    answer(res, 200, 'ok', { close: false });
    return true;
  };
}

/**
 * The event handed to probot's handlers. @octokit/webhooks attaches it to any error a handler throws and
 * probot logs that error: its payload is neither enumerable nor part of its JSON, so no logger prints it.
 */
function deliveryEvent(id: string, name: string, payload: object): ReceivedEvent {
  const event = { id, name, toJSON: () => ({ id, name }) };
  return Object.defineProperty(event, 'payload', {
    value: payload,
    enumerable: false,
  }) as unknown as ReceivedEvent;
}

/** The fields of a (verified) payload a log line may name. */
function describe(payload: Record<string, unknown>) {
  const { action, installation, repository } = payload as {
    action?: unknown;
    installation?: { id?: unknown };
    repository?: { full_name?: unknown };
  };
  return {
    ...(typeof action === 'string' ? { action } : {}),
    ...(typeof installation?.id === 'number' ? { installation: installation.id } : {}),
    ...(typeof repository?.full_name === 'string' ? { repository: repository.full_name } : {}),
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function answer(res: ServerResponse, status: number, message: string, { close }: { close: boolean }): void {
  const body = status === 200 ? 'ok\n' : `${JSON.stringify({ error: message })}\n`;
  res.writeHead(status, {
    'content-type': status === 200 ? 'text/plain' : 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return withoutTrailingSlashes(new URL(url ?? '', 'http://localhost').pathname);
  } catch {
    return undefined;
  }
}

function withoutTrailingSlashes(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}
