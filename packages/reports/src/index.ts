/**
 * Review documents for people: the findings as text, JSON, Markdown and HTML. The evaluator
 * decides what is true; this package only decides how it reads, so the CLI and the web app
 * print the same report.
 */
// Only what the CLI and the web import: the escaping and counting helpers stay internal.
export {
  formatFindingsHtml,
  formatFindingsJson,
  formatFindingsMarkdown,
  formatFindingsText,
  type ReportMeta,
} from './findingsReport.ts';
