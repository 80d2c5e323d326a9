// CSRF protection for every state-changing request: a POST must carry the session's token in its form
// (`_csrf`, compared in constant time) and, when the browser says where it comes from (Origin, else
// Referer), come from the dashboard's own origin. SameSite=Lax cookies are the third layer.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The largest form the dashboard accepts (its forms carry a token and little else). */
export const MAX_FORM_BYTES = 8 * 1024;

export class FormError extends Error {
  override readonly name = 'FormError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Strings equal in constant time (hashed first, so their lengths do not leak either). */
export function safeEqual(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b)) && a.length === b.length;
}

/** Whether the request's Origin (or Referer) is `origin`; a request naming neither passes this check. */
export function fromOrigin(req: IncomingMessage, origin: string): boolean {
  const stated = req.headers.origin ?? req.headers.referer;
  if (stated === undefined) return true;
  try {
    return new URL(stated).origin === origin;
  } catch {
    return false;
  }
}

/** Reads an `application/x-www-form-urlencoded` body of at most MAX_FORM_BYTES. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new FormError(415, 'expected a form');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_FORM_BYTES) throw new FormError(413, 'form too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new FormError(413, 'form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The form's `_csrf` is the session's token. */
export function csrfValid(form: URLSearchParams, sessionToken: string): boolean {
  const sent = form.get('_csrf');
  return sent !== null && sent.length > 0 && safeEqual(sent, sessionToken);
}
