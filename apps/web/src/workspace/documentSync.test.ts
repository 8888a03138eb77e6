import { Workspace } from '@netpol-atlas/workspace';
import { describe, expect, it } from 'vitest';
import { DocumentSync, type DocumentsUpdate, HeldDocuments, type SyncedFile } from './documentSync.ts';

const f = (path: string, text: string): SyncedFile => ({ path, text });

/** The documents as the worker's workspace reads them (a repeated path keeps its first place, its last text). */
const asRead = (files: readonly SyncedFile[]) => new Workspace(files).files;

const A = f('a.yaml', 'kind: Namespace\nmetadata: {name: a}\n');
const B = f('b.yaml', 'kind: Namespace\nmetadata: {name: b}\n');
const C = f('c.yaml', 'kind: Namespace\nmetadata: {name: c}\n');

/** Edits in the order a user might make them; each step is the whole list the page holds. */
const STEPS: { what: string; files: SyncedFile[] }[] = [
  { what: 'the first load', files: [A, B] },
  { what: 'a keystroke in one file', files: [A, f('b.yaml', `${B.text}# x\n`)] },
  { what: 'the same texts in new objects', files: [f(A.path, A.text), f('b.yaml', `${B.text}# x\n`)] },
  { what: 'a file added in the middle', files: [A, C, f('b.yaml', `${B.text}# x\n`)] },
  { what: 'a file removed', files: [A, f('b.yaml', `${B.text}# x\n`)] },
  { what: 'a rename, text kept', files: [A, f('renamed.yaml', `${B.text}# x\n`)] },
  { what: 'a reorder', files: [f('renamed.yaml', `${B.text}# x\n`), A] },
  { what: 'a path given twice', files: [A, f('renamed.yaml', 'one'), f('a.yaml', 'two')] },
  { what: 'a new workspace', files: [f('x/1.yaml', 'kind: Namespace\nmetadata: {name: x}\n'), C] },
  { what: 'an empty workspace', files: [] },
  { what: 'files again after none', files: [A, B, C] },
];

/** The step's update applied by a worker that holds the previous one's. */
function run(steps = STEPS) {
  const page = new DocumentSync();
  const worker = new HeldDocuments();
  return steps.map((step) => {
    const update = page.update(step.files);
    return { step, update, applied: worker.apply(update) };
  });
}

describe('DocumentSync and HeldDocuments', () => {
  it.each(run().map((r) => [r.step.what, r] as const))(
    'after %s the worker reads what a full send would give it',
    (_, { step, applied }) => {
      expect(applied).toBeDefined();
      expect(asRead(applied!)).toEqual(asRead(step.files));
    },
  );

  it('sends everything first, then only the texts the worker lacks', () => {
    const [load, keystroke, sameTexts, added, removed, renamed, reordered] = run().map((r) => r.update);
    expect(load).toMatchObject({ kind: 'full', files: [A, B] });
    expect(keystroke).toMatchObject({ kind: 'delta', paths: undefined, changed: [{ path: 'b.yaml' }] });
    expect(sameTexts).toMatchObject({ kind: 'delta', paths: undefined, changed: [] });
    expect(added).toMatchObject({ paths: ['a.yaml', 'c.yaml', 'b.yaml'], changed: [C] });
    expect(removed).toMatchObject({ paths: ['a.yaml', 'b.yaml'], changed: [] });
    expect(renamed).toMatchObject({ paths: ['a.yaml', 'renamed.yaml'], changed: [{ path: 'renamed.yaml' }] });
    expect(reordered).toMatchObject({ paths: ['renamed.yaml', 'a.yaml'], changed: [] });
  });

  it('chains each delta to the state before it', () => {
    const updates = run().map((r) => r.update);
    for (const [i, u] of updates.entries()) {
      if (u.kind === 'delta') expect(u.base).toBe(updates[i - 1]!.state);
    }
  });

  it('a restarted worker refuses a delta; once the page forgets, a full send applies', () => {
    const page = new DocumentSync();
    new HeldDocuments().apply(page.update([A, B]));
    const restarted = new HeldDocuments();
    expect(restarted.apply(page.update([A, C]))).toBeUndefined();
    page.forget();
    const resend = page.update([A, C]);
    expect(resend.kind).toBe('full');
    expect(restarted.apply(resend)).toEqual([A, C]);
    expect(restarted.apply(page.update([C]))).toEqual([C]);
  });

  it("refuses another page's delta and keeps its own state", () => {
    const [mine, other] = [new DocumentSync(), new DocumentSync()];
    const worker = new HeldDocuments();
    worker.apply(mine.update([A]));
    other.update([A]);
    expect(worker.apply(other.update([A, B]))).toBeUndefined();
    expect(worker.apply(mine.update([A, C]))).toEqual([A, C]);
  });

  it('refuses a delta whose base it skipped or already passed, without moving', () => {
    const page = new DocumentSync();
    const worker = new HeldDocuments();
    worker.apply(page.update([A]));
    const lost = page.update([A, B]);
    const next = page.update([A, B, C]);
    expect(worker.apply(next)).toBeUndefined();
    expect(worker.apply(lost)).toEqual([A, B]);
    expect(worker.apply(lost)).toBeUndefined();
    expect(worker.apply(next)).toEqual([A, B, C]);
  });

  it('refuses an inconsistent delta: a path without a text, a text outside the list', () => {
    const page = new DocumentSync();
    const worker = new HeldDocuments();
    const first = page.update([A]);
    worker.apply(first);
    const delta = (over: Partial<Extract<DocumentsUpdate, { kind: 'delta' }>>): DocumentsUpdate => ({
      kind: 'delta',
      epoch: first.epoch,
      base: first.state,
      state: first.state + 1,
      paths: undefined,
      changed: [],
      ...over,
    });
    expect(worker.apply(delta({ paths: ['a.yaml', 'nowhere.yaml'] }))).toBeUndefined();
    expect(worker.apply(delta({ changed: [C] }))).toBeUndefined();
    expect(worker.apply(delta({ changed: [f('a.yaml', 'edited')] }))).toEqual([f('a.yaml', 'edited')]);
  });

  it('after forget (files sent another way) no delta applies', () => {
    const page = new DocumentSync();
    const worker = new HeldDocuments();
    worker.apply(page.update([A]));
    worker.forget();
    expect(worker.apply(page.update([A, B]))).toBeUndefined();
  });
});
