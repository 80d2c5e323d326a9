// Delivers a webhook the way GitHub does: JSON body, event and delivery headers, and the body's
// HMAC-SHA256 under the app's webhook secret in X-Hub-Signature-256.
import { createHmac, randomUUID } from 'node:crypto';

export interface SendWebhookOptions {
  /** X-GitHub-Delivery; a fresh UUID when absent (reuse one to simulate a redelivery). */
  deliveryId?: string;
  /** Sign with this secret instead (a wrong secret gives a bad signature). */
  signWith?: string;
  /** Send this signature header verbatim (`sha256=…`), or null to send none. */
  signature?: string | null;
  /** Path of the webhook endpoint; default probot's `/api/github/webhooks`. */
  path?: string;
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** POSTs `payload` as `event` to the app at `url` and returns the HTTP status. */
export async function sendWebhook(
  url: string,
  secret: string,
  event: string,
  payload: object,
  options: SendWebhookOptions = {},
): Promise<number> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/test',
    'x-github-event': event,
    'x-github-delivery': options.deliveryId ?? randomUUID(),
  };
  const signed =
    options.signature === undefined ? signature(options.signWith ?? secret, body) : options.signature;
  if (signed !== null) headers['x-hub-signature-256'] = signed;
  const response = await fetch(new URL(options.path ?? '/api/github/webhooks', url), {
    method: 'POST',
    headers,
    body,
  });
  await response.arrayBuffer();
  return response.status;
}
