// Non-2xx registry answers as RegistryErrors naming the package (never a header or a query string).
import { RegistryError } from '../docker/errors.js';
import type { HttpResponse } from '../../http/request.js';

export function checkStatus(res: HttpResponse, what: string): HttpResponse {
  const s = res.status;
  if ((s >= 200 && s < 300) || s === 304) return res;
  if (s === 401 || s === 403) throw new RegistryError('unauthorized', `${what}: unauthorized (${s})`, s);
  if (s === 404) throw new RegistryError('not-found', `${what}: not found`, s);
  if (s === 429) throw new RegistryError('rate-limited', `${what}: rate limited`, s);
  if (s >= 500) throw new RegistryError('server', `${what}: server error ${s}`, s);
  throw new RegistryError('protocol', `${what}: unexpected status ${s}`, s);
}
