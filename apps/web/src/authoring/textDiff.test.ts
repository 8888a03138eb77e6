import { describe, expect, it } from 'vitest';
import { diffHunks, diffLines, diffStats } from './textDiff.ts';

/** The diff as `+x`, `-x`, ` x` lines: easy to read in a table. */
function render(before: string | undefined, after: string): string[] {
  return diffLines(before, after).map(
    (l) => `${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}${l.text}`,
  );
}

describe('diffLines', () => {
  it.each([
    { name: 'equal texts', before: 'a\nb\n', after: 'a\nb\n', want: [' a', ' b'] },
    { name: 'a new file', before: undefined, after: 'a\nb\n', want: ['+a', '+b'] },
    { name: 'everything removed', before: 'a\nb\n', after: '', want: ['-a', '-b'] },
    { name: 'an appended document', before: 'a\n', after: 'a\n---\nb\n', want: [' a', '+---', '+b'] },
    { name: 'a changed line', before: 'a\nb\nc\n', after: 'a\nB\nc\n', want: [' a', '-b', '+B', ' c'] },
    {
      name: 'a replaced block reads removals first',
      before: 'x\n1\n2\ny\n',
      after: 'x\n3\n4\ny\n',
      want: [' x', '-1', '-2', '+3', '+4', ' y'],
    },
    {
      name: 'an insertion between repeated lines',
      before: '- a\n- a\n- b\n',
      after: '- a\n- a\n- a\n- b\n',
      want: [' - a', ' - a', '+- a', ' - b'],
    },
    { name: 'no final newline', before: 'a', after: 'a\nb', want: [' a', '+b'] },
  ])('$name', ({ before, after, want }) => {
    expect(render(before, after)).toEqual(want);
  });

  it('is minimal: every line of either side appears once, and unchanged lines stay unchanged', () => {
    const before = ['k: 1', 'a', 'b', 'c', 'd', 'e', 'f'].join('\n');
    const after = ['k: 1', 'a', 'c', 'd', 'x', 'e', 'f', 'g'].join('\n');
    const lines = diffLines(before, after);
    expect(diffStats(lines)).toEqual({ added: 2, removed: 1 });
    expect(lines.filter((l) => l.kind !== 'add').map((l) => l.text)).toEqual(before.split('\n'));
    expect(lines.filter((l) => l.kind !== 'del').map((l) => l.text)).toEqual(after.split('\n'));
  });

  it('numbers lines on each side', () => {
    const lines = diffLines('a\nb\n', 'a\nc\nb\n');
    expect(lines.map((l) => [l.oldLine, l.newLine])).toEqual([
      [1, 1],
      [undefined, 2],
      [2, 3],
    ]);
  });

  it('finds the one changed line of a big file', () => {
    const before = Array.from({ length: 50_000 }, (_, i) => `line ${i}`);
    const after = [...before];
    after.splice(25_000, 1, 'changed');
    const lines = diffLines(before.join('\n'), after.join('\n'));
    expect(diffStats(lines)).toEqual({ added: 1, removed: 1 });
  });

  it('falls back to remove-all/add-all when the texts share nothing and are huge', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n');
    const after = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n');
    expect(diffStats(diffLines(before, after))).toEqual({ added: 3000, removed: 3000 });
  });
});

describe('diffHunks', () => {
  it('keeps three lines of context and merges nearby changes', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n');
    const after = before.replace('l5', 'L5').replace('l8', 'L8').replace('l18', 'L18');
    const hunks = diffHunks(diffLines(before, after));
    expect(hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      [2, 10, 2, 10],
      [15, 6, 15, 6],
    ]);
  });

  it('gives no hunk for equal texts', () => {
    expect(diffHunks(diffLines('a\n', 'a\n'))).toEqual([]);
  });
});
