// GET /reports/<installation>.json and .csv: the CLI's report formats (src/report/render) over the
// repositories the caller may see — the JSON Report shape (each repository also carries `at`, when its
// report was made, and `failingSince`), and the CSV's rows per repository × image and × policy.
import { buildReport } from '../report/evaluate.js';
import { renderReportCsv } from '../report/render/csv.js';
import { renderReportJson } from '../report/render/json.js';
import type { StoredRepoReport } from '../report/store/types.js';

export type ExportFormat = 'json' | 'csv';

export interface ExportBody {
  contentType: string;
  filename: string;
  chunks: Iterable<string>;
}

export function exportReport(
  installationId: number,
  reports: StoredRepoReport[],
  format: ExportFormat,
  now: Date,
): ExportBody {
  const report = buildReport(reports, now);
  const filename = `dockhand-${installationId}-${now.toISOString().slice(0, 10)}.${format}`;
  return format === 'json'
    ? { contentType: 'application/json; charset=utf-8', filename, chunks: [renderReportJson(report)] }
    : { contentType: 'text/csv; charset=utf-8; header=present', filename, chunks: renderReportCsv(report) };
}
