import type { Problem } from '../model/index.ts';

/** The marker owner: lets the app replace its own markers without touching monaco-yaml's. */
export const MARKER_OWNER = 'netpol-atlas';

/** Values of `monaco.MarkerSeverity`, copied so this module never loads Monaco (tests run in Node). */
export const MarkerSeverity = { Hint: 1, Info: 2, Warning: 4, Error: 8 } as const;
export type MarkerSeverity = (typeof MarkerSeverity)[keyof typeof MarkerSeverity];

/** The fields of `monaco.editor.IMarkerData` this app sets; structurally assignable to it. */
export interface MarkerData {
  severity: MarkerSeverity;
  message: string;
  code: string;
  source: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

const SEVERITY: Record<Problem['severity'], MarkerSeverity> = {
  error: MarkerSeverity.Error,
  warning: MarkerSeverity.Warning,
  info: MarkerSeverity.Info,
};

/** Monaco positions are 1-based; a 0 or negative value would make it drop or misplace the marker. */
function atLeastOne(n: number): number {
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}

/**
 * The markers for the document at `path`: one per problem of that file, on the problem's exact
 * range (1-based, end exclusive, as Monaco counts). Problems without a location are shown on the
 * first line, so a whole-file problem is still visible in the editor. Message is
 * `${field}: ${message}` like kubectl's errors, or just the message when there is no field.
 */
export function problemsToMarkers(problems: readonly Problem[], path: string): MarkerData[] {
  const markers: MarkerData[] = [];
  for (const problem of problems) {
    if (problem.file !== path) continue;
    const source = problem.source;
    const startLineNumber = atLeastOne(source?.line ?? 1);
    const startColumn = atLeastOne(source?.column ?? 1);
    // A range that ends before it starts would be ignored by Monaco: collapse it to its start.
    let endLineNumber = atLeastOne(source?.endLine ?? startLineNumber);
    let endColumn = atLeastOne(source?.endColumn ?? startColumn);
    if (endLineNumber < startLineNumber || (endLineNumber === startLineNumber && endColumn < startColumn)) {
      endLineNumber = startLineNumber;
      endColumn = startColumn;
    }
    markers.push({
      severity: SEVERITY[problem.severity],
      message: problem.field === '' ? problem.message : `${problem.field}: ${problem.message}`,
      code: problem.code,
      source: MARKER_OWNER,
      startLineNumber,
      startColumn,
      endLineNumber,
      endColumn,
    });
  }
  return markers;
}
