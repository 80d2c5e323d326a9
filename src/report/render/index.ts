// The report's renderers, by format. Each yields the text in pieces (a large org's report is never one string).
import type { Report } from '../evaluate.js';
import { renderReportCsv } from './csv.js';
import { renderReportHtml } from './html.js';
import { renderReportJson } from './json.js';

export type ReportFormat = 'html' | 'json' | 'csv';

export function renderReport(report: Report, format: ReportFormat): Iterable<string> {
  if (format === 'json') return [renderReportJson(report)];
  if (format === 'csv') return renderReportCsv(report);
  return renderReportHtml(report);
}

export { csvField, CSV_COLUMNS } from './csv.js';
export { escapeHtml } from './html.js';
