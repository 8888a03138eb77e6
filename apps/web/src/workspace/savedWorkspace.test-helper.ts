// A saved workspace for the persistence tests: one file, its baseline and a drafted range.
import { draftRangeId } from '../model/index.ts';
import type { SavedWorkspace } from './savedRecord.ts';

/** One file `a.yaml` holding `text`, with an empty baseline and a drafted 10.0.0.0/8; `more` adds or replaces fields. */
export function savedWorkspace(text: string, more: Partial<SavedWorkspace> = {}): SavedWorkspace {
  return {
    version: 1,
    files: [{ id: 'a.yaml#1', path: 'a.yaml', text }],
    activeFileId: 'a.yaml#1',
    sampleId: undefined,
    baseline: [{ path: 'a.yaml', text: '' }],
    ranges: [{ id: draftRangeId('10.0.0.0/8', []), cidr: '10.0.0.0/8', except: [] }],
    ...more,
  };
}
