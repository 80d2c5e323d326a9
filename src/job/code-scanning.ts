// Optional SARIF upload of a scan's findings to GitHub code scanning (`codeScanning: true`).
import { renderSarif } from '../output/sarif.js';
import { PermanentJobError } from '../queue/worker.js';
import type { ScanResult } from '../scan/scan.js';
import type { RepoPlatform, RepoResult } from './types.js';

/** Code scanning keeps the alerts; a missing permission is the installer's to grant, so it is only reported. */
export async function uploadFindings(
  platform: RepoPlatform,
  scan: ScanResult,
  commit: string,
  ref: string,
  result: Pick<RepoResult, 'errors'>,
): Promise<void> {
  try {
    await platform.uploadSarif(commit, ref, renderSarif(scan));
  } catch (error) {
    if (!(error instanceof PermanentJobError)) throw error;
    result.errors.push(`codeScanning: ${error.message}`);
  }
}
