import { useEffect, useState } from 'react';
import type { State } from '../store/index.ts';
import { SAMPLES, useStore } from '../store/index.ts';
import { indexedDbStore, type SavedWorkspace, WorkspacePersister } from './persist.ts';
import { decodeHistory, encodeHistory } from './savedHistory.ts';
import { decodeShareFragment } from './shareLink.ts';

/** Long enough that a burst of typing is one write, short enough that a crash loses little. */
const SAVE_DELAY_MS = 400;

/** How long opening waits for the saved workspace before showing the demo. */
const RESTORE_TIMEOUT_MS = 3000;

let persister: WorkspacePersister | undefined;

/** The one persister of the page, saving to IndexedDB. */
export function workspacePersister(): WorkspacePersister {
  persister ??= new WorkspacePersister(indexedDbStore(), {
    delayMs: SAVE_DELAY_MS,
    onStatus: (status) => useStore.getState().setSaveStatus(status),
  });
  return persister;
}

/**
 * What to save, undo history included (bounded, see encodeHistory); undefined for the untouched
 * demo, which needs no saving (a first visit shows it anyway).
 */
export function workspaceSnapshot(state: State): SavedWorkspace | undefined {
  const demo = SAMPLES[0]!;
  const { documents, authoring } = state;
  const pristine =
    documents.sampleId === demo.id &&
    documents.files === demo.files &&
    authoring.baseline === demo.files &&
    authoring.ranges.length === 0 &&
    state.history.past.length === 0 &&
    state.history.future.length === 0;
  if (pristine) return undefined;
  return {
    version: 1,
    files: documents.files,
    activeFileId: documents.activeFileId,
    sampleId: documents.sampleId,
    baseline: authoring.baseline.map((f) => ({ path: f.path, text: f.text })),
    ranges: authoring.ranges,
    history: encodeHistory(documents.files, state.history),
  };
}

function clearHash(): void {
  history.replaceState(null, '', `${location.pathname}${location.search}`);
}

/** Opens a shared workspace from the link, else the one saved in this browser, else keeps the demo. */
async function restore(): Promise<void> {
  const store = useStore.getState();
  const shared = decodeShareFragment(location.hash);
  if (shared) clearHash();
  if (shared?.ok) {
    store.restoreWorkspace({ files: shared.workspace.files, baseline: shared.workspace.baseline });
    store.setNotice(
      `Opened a shared workspace of ${shared.workspace.files.length} file(s); it is now saved in this browser.`,
    );
    // Saved at once: the link is gone from the address bar, so a reload must find it here.
    workspacePersister().schedule(() => workspaceSnapshot(useStore.getState()));
    return;
  }
  if (shared && !shared.ok) store.setNotice(shared.message);
  // Storage that never answers (a stuck upgrade in another tab) must not keep the app from opening.
  const giveUp = new Promise<undefined>((resolve) => setTimeout(resolve, RESTORE_TIMEOUT_MS));
  const saved = await Promise.race([workspacePersister().load(), giveUp]);
  if (saved)
    useStore.getState().restoreWorkspace({ ...saved, history: decodeHistory(saved.history, saved.files) });
}

let restoring: Promise<void> | undefined;

/**
 * Restores the workspace once per page (before the graph is shown, so the demo never flashes in
 * its place); true when done. Then saves every change of the documents, baseline or ranges.
 */
export function useWorkspaceStorage(): boolean {
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    let live = true;
    restoring ??= restore().catch(() => undefined);
    void restoring.then(() => {
      if (live) setRestored(true);
    });
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => {
    if (!restored) return;
    const unsubscribe = useStore.subscribe((state, previous) => {
      if (
        state.documents === previous.documents &&
        state.authoring.baseline === previous.authoring.baseline &&
        state.authoring.ranges === previous.authoring.ranges
      )
        return;
      workspacePersister().schedule(() => workspaceSnapshot(useStore.getState()));
    });
    // A closing or hidden page gets its pending save written now, not after the delay.
    const flush = () => void workspacePersister().flush();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      unsubscribe();
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [restored]);
  return restored;
}
