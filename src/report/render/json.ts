// The report as JSON: the Report shape of src/report/evaluate.ts (version, summary per policy, and per
// repository its policies with evidence and the facts they were judged on), keys in a fixed order.
import type { Report } from '../evaluate.js';

export function renderReportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
