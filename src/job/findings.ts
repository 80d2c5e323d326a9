import type { Finding } from '../core/types.js';
import type { RepoResult } from './types.js';

export function countFindings(findings: readonly Finding[]): RepoResult['findings'] {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}
