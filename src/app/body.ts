// Reading a request body with a size cap: a body declared too large is refused before a byte of it is
// read, and a streamed (chunked) one is dropped as soon as it goes over, so memory never holds more than
// the cap per request, whatever a client sends.

import type { IncomingMessage } from 'node:http';

export type Body =
  | { kind: 'complete'; bytes: Buffer }
  /** Over the cap: nothing kept, the request paused (answer with `Connection: close`). */
  | { kind: 'too-large' }
  /** The client went away before the end. */
  | { kind: 'aborted' };

/** True when the request's Content-Length already says it is over `maxBytes`. */
export function declaredTooLarge(req: IncomingMessage, maxBytes: number): boolean {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > maxBytes;
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Body> {
  if (declaredTooLarge(req, maxBytes)) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const settle = (body: Body) => {
      req.off('data', onData).off('end', onEnd).off('error', onAborted).off('close', onClose);
      chunks = [];
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop reading: the socket is closed once the answer is sent.
        req.pause();
        settle({ kind: 'too-large' });
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => settle({ kind: 'complete', bytes: Buffer.concat(chunks, size) });
    const onAborted = () => settle({ kind: 'aborted' });
    const onClose = () => {
      if (!req.complete) onAborted();
    };
    req.on('data', onData).on('end', onEnd).on('error', onAborted).on('close', onClose);
  });
}
