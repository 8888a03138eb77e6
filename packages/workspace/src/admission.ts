import type { Diagnostic, KubeObject } from '@netpol-atlas/manifests';

/**
 * The objects no error points into: an error located inside an object's text means the API
 * server would refuse that object, so the analysis of "what it would admit" leaves it out.
 * Errors without a range (a whole file refused) refuse no object: such files yield none.
 */
export function admittedObjects(
  objects: readonly KubeObject[],
  errors: readonly Diagnostic[],
): readonly KubeObject[] {
  // Without errors every object is admitted: the same list, not a copy of ten thousand.
  if (errors.length === 0) return objects;
  return objects.filter((object) => {
    const range = object.source.range;
    if (!range) return true;
    return !errors.some(
      (d) =>
        d.file === object.source.file &&
        d.range !== undefined &&
        !before(d.range.start, range.start) &&
        !before(range.end, d.range.start),
    );
  });
}

function before(a: { line: number; column: number }, b: { line: number; column: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}
