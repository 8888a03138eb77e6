/** Where a diagnostic points: 1-based line and column, end exclusive. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A span of text inside one file. */
export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

/** How bad a diagnostic is. `error` objects are not analysed; `warning`/`info` never block. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One problem found in user input. `code` is stable (tests, docs and compat renderers key on it);
 * `message` is for people; `field` is the API field path as the API server prints it
 * (`spec.ingress[0].from[1].ipBlock.cidr`), empty for file-level problems.
 */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  file: string;
  field: string;
  range: SourceRange | undefined;
  /** `ns/name` of the object the diagnostic is about, when there is one. */
  object?: string;
  /** `Kind` of that object. */
  kind?: string;
}

/** A field path segment: a map key or a sequence index. */
export type PathSegment = string | number;

/** Renders a field path the way the API server prints it: `spec.ingress[0].from`. */
export function formatFieldPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** Resolves a field path (relative to one document's root) to its source range. */
export type Locator = (path: readonly PathSegment[]) => SourceRange | undefined;
