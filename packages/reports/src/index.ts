/**
 * Review documents for people: the findings as text, JSON, Markdown and HTML. The evaluator
 * decides what is true; this package only decides how it reads, so the CLI and the web app
 * print the same report.
 */
export {
  escapeHtml,
  formatFindingsHtml,
  formatFindingsJson,
  formatFindingsMarkdown,
  formatFindingsText,
  locationText,
  type ReportMeta,
  severityCounts,
  summaryLine,
} from './findingsReport.ts';
