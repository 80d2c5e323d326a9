// How a repository job classifies a failed read: gone → fail once; limits → wait for this installation
// only; 5xx and network failures → the job's backoff.
import { PermanentJobError, TransientJobError } from '../../queue/worker.js';
import type { GitHubError } from './client.js';

export function toJobError(error: GitHubError): PermanentJobError | TransientJobError {
  switch (error.kind) {
    case 'not-found':
    case 'rejected':
      return new PermanentJobError(error.message);
    case 'rate-limited':
      return new TransientJobError(error.message, {
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
        scope: 'installation',
      });
    case 'transient':
      return new TransientJobError(error.message);
  }
}
