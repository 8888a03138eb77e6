import { diffArrays } from 'diff';

/** One line of a line diff, numbered on the side(s) it belongs to (1-based). */
export interface DiffLine {
  kind: 'same' | 'add' | 'del';
  text: string;
  oldLine: number | undefined;
  newLine: number | undefined;
}

/** A run of changed lines with some unchanged lines around it, as in a unified diff. */
export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

/**
 * Past this many differing lines the middle of the diff is shown as "all removed, all added": the
 * Myers search costs about N·D steps, and a diff that large is not read line by line anyway.
 */
const MAX_EDIT_DISTANCE = 2000;

function splitLines(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

type Op = 'same' | 'add' | 'del';

/** jsdiff's shortest edit script between two line lists; undefined past `maxEditLength` edits. */
function editScript(a: string[], b: string[], maxEditLength: number): Op[] | undefined {
  const changes = diffArrays(a, b, { maxEditLength });
  return changes?.flatMap((c) =>
    Array.from({ length: c.count }, (): Op => (c.added ? 'add' : c.removed ? 'del' : 'same')),
  );
}

/** Within each run of changes, removals first, then additions: how people read a replaced block. */
function groupChanges(ops: readonly Op[]): Op[] {
  const out: Op[] = [];
  let dels = 0;
  let adds = 0;
  const flush = () => {
    for (; dels > 0; dels--) out.push('del');
    for (; adds > 0; adds--) out.push('add');
  };
  for (const op of ops) {
    if (op === 'del') dels++;
    else if (op === 'add') adds++;
    else {
      flush();
      out.push('same');
    }
  }
  flush();
  return out;
}

/**
 * The line diff between two texts (`before` undefined: a new file). Common leading and trailing
 * lines are matched first, so an edit in a big file costs only the size of the edit.
 */
export function diffLines(before: string | undefined, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const middle = editScript(midA, midB, MAX_EDIT_DISTANCE) ?? [
    ...midA.map((): Op => 'del'),
    ...midB.map((): Op => 'add'),
  ];
  const ops: Op[] = [
    ...Array.from({ length: head }, (): Op => 'same'),
    ...groupChanges(middle),
    ...Array.from({ length: tail }, (): Op => 'same'),
  ];
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  for (const op of ops) {
    if (op === 'same') {
      out.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (op === 'del') {
      out.push({ kind: 'del', text: a[i]!, oldLine: i + 1, newLine: undefined });
      i++;
    } else {
      out.push({ kind: 'add', text: b[j]!, oldLine: undefined, newLine: j + 1 });
      j++;
    }
  }
  return out;
}

/** Groups a diff into hunks with `context` unchanged lines around each change; none when equal. */
export function diffHunks(lines: readonly DiffLine[], context = 3): DiffHunk[] {
  // Windows of context around each change, merged where they touch.
  const windows: [number, number][] = [];
  lines.forEach((line, index) => {
    if (line.kind === 'same') return;
    const from = Math.max(0, index - context);
    const to = Math.min(lines.length - 1, index + context);
    const last = windows.at(-1);
    if (last && from <= last[1] + 1) last[1] = to;
    else windows.push([from, to]);
  });
  return windows.map(([from, to]) => {
    const slice = lines.slice(from, to + 1);
    const olds = slice.filter((l) => l.oldLine !== undefined);
    const news = slice.filter((l) => l.newLine !== undefined);
    return {
      // As in `diff -u`: a side with no lines starts at the line before the hunk.
      oldStart: olds[0]?.oldLine ?? lastNumberBefore(lines, from, 'oldLine'),
      oldLines: olds.length,
      newStart: news[0]?.newLine ?? lastNumberBefore(lines, from, 'newLine'),
      newLines: news.length,
      lines: slice,
    };
  });
}

function lastNumberBefore(lines: readonly DiffLine[], index: number, side: 'oldLine' | 'newLine'): number {
  for (let i = index - 1; i >= 0; i--) {
    const n = lines[i]![side];
    if (n !== undefined) return n;
  }
  return 0;
}

/** How many lines a diff adds and removes. */
export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.kind === 'add') added++;
    else if (line.kind === 'del') removed++;
  }
  return { added, removed };
}
