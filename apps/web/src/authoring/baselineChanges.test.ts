import { describe, expect, it } from 'vitest';
import { changedFiles } from './baselineChanges.ts';

describe('changedFiles', () => {
  it('lists edited, new and removed files, and nothing else', () => {
    const baseline = [
      { path: 'same.yaml', text: 'a' },
      { path: 'edited.yaml', text: 'b' },
      { path: 'gone.yaml', text: 'c' },
    ];
    const files = [
      { path: 'same.yaml', text: 'a' },
      { path: 'edited.yaml', text: 'B' },
      { path: 'new.yaml', text: 'n' },
    ];
    expect(changedFiles(files, baseline)).toEqual([
      { path: 'edited.yaml', before: 'b', after: 'B', removed: false },
      { path: 'new.yaml', before: undefined, after: 'n', removed: false },
      { path: 'gone.yaml', before: 'c', after: '', removed: true },
    ]);
    expect(changedFiles(baseline, baseline)).toEqual([]);
  });
});
