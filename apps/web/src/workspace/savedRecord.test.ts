import { describe, expect, it } from 'vitest';
import { joinTexts, readSavedWorkspace, type SavedWorkspace, splitTexts, textKeysOf } from './savedRecord.ts';
import { savedWorkspace } from './savedWorkspace.test-helper.ts';

function workspace(text: string): SavedWorkspace {
  return savedWorkspace(text, {
    history: {
      texts: ['older', ''],
      past: [[['a.yaml#1', 'a.yaml', 1]]],
      future: [[['a.yaml#1', 'a.yaml', 2]]],
    },
  });
}

/** Keys by value, as the persister hands them out. */
function keyMaker() {
  const keys = new Map<string, string>();
  return (text: string) => {
    if (!keys.has(text)) keys.set(text, `text:${keys.size}`);
    return keys.get(text)!;
  };
}

describe('splitTexts and joinTexts', () => {
  it('round-trip a workspace, each distinct text named once', () => {
    const saved = workspace('kind: Namespace\n');
    const { record, texts } = splitTexts(saved, keyMaker());
    expect([...texts.values()]).toEqual(['kind: Namespace\n', '', 'older']);
    expect(JSON.stringify(record)).not.toContain('Namespace');
    expect(textKeysOf(structuredClone(record))?.sort()).toEqual([...texts.keys()].sort());
    expect(joinTexts(structuredClone(record), texts)).toEqual(saved);
  });

  it('reads nothing when a document text is missing, and drops only the history for a history text', () => {
    const { record, texts } = splitTexts(workspace('x'), keyMaker());
    const without = (text: string) => new Map([...texts].filter(([, t]) => t !== text));
    expect(joinTexts(record, without('x'))).toBeUndefined();
    expect(joinTexts(record, without('older'))).toEqual({ ...workspace('x'), history: undefined });
    expect(joinTexts(record, new Map([...texts].map(([k, t]) => [k, t === 'x' ? 7 : t])))).toBeUndefined();
  });

  it.each([
    { name: 'nothing', value: undefined },
    { name: 'a version 1 record', value: workspace('x') },
    { name: 'files without text keys', value: { version: 2, files: [{ id: 'a', path: 'a' }], baseline: [] } },
    { name: 'a damaged baseline', value: { version: 2, files: [], baseline: 'oops' } },
  ])('finds no text keys in $name', ({ value }) => {
    expect(textKeysOf(value)).toBeUndefined();
  });
});

describe('readSavedWorkspace', () => {
  it.each([
    { name: 'nothing', value: undefined },
    { name: 'another version', value: { ...workspace('x'), version: 3 } },
    { name: 'files without ids', value: { ...workspace('x'), files: [{ path: 'a', text: '' }] } },
    { name: 'a damaged baseline', value: { ...workspace('x'), baseline: 'oops' } },
  ])('ignores $name', ({ value }) => {
    expect(readSavedWorkspace(value)).toBeUndefined();
  });

  it('drops malformed ranges but keeps the documents', () => {
    const saved = readSavedWorkspace({ ...workspace('x'), ranges: [{ cidr: 1 }] });
    expect(saved?.files[0]?.text).toBe('x');
    expect(saved?.ranges).toEqual([]);
  });
});
