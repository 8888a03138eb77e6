import { createContext, useContext, useEffect, useState } from 'react';
import type { State } from '../store/index.ts';
import { SAMPLES, useStore } from '../store/index.ts';
import { indexedDbStore, type KeyValueStore, WorkspacePersister } from './persist.ts';
import { decodeHistory, encodeHistory } from './savedHistory.ts';
import type { SavedWorkspace } from './savedRecord.ts';
import { decodeShareFragment } from './shareLink.ts';

/** Long enough that a burst of typing is one write, short enough that a crash loses little. */
const SAVE_DELAY_MS = 400;

/** How long opening waits for the saved workspace before showing the demo. */
const RESTORE_TIMEOUT_MS = 3000;

/**
 * The page's saved workspace: the persister writing to IndexedDB, and the one restore of the
 * page. Made once in main.tsx and handed down (`WorkspaceStorageProvider`), so nothing about
 * storage lives in module variables.
 */
export class WorkspaceStorage {
  readonly persister: WorkspacePersister;
  private restoring: Promise<void> | undefined;

  constructor(store: KeyValueStore = indexedDbStore()) {
    this.persister = new WorkspacePersister(store, {
      delayMs: SAVE_DELAY_MS,
      onStatus: (status) => useStore.getState().setSaveStatus(status),
    });
  }

  /** Restores the workspace the first time it is called; later calls wait for the same restore. */
  restoreOnce(): Promise<void> {
    this.restoring ??= restore(this.persister).catch(() => undefined);
    return this.restoring;
  }
}

const WorkspaceStorageContext = createContext<WorkspaceStorage | undefined>(undefined);

/** Hands the page's workspace storage to the components under it. */
export const WorkspaceStorageProvider = WorkspaceStorageContext.Provider;

/** The page's workspace storage; a component outside the provider is a programming error. */
export function useWorkspaceStorageService(): WorkspaceStorage {
  const storage = useContext(WorkspaceStorageContext);
  if (!storage) throw new Error('no WorkspaceStorageProvider above this component');
  return storage;
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
async function restore(persister: WorkspacePersister): Promise<void> {
  const store = useStore.getState();
  const shared = decodeShareFragment(location.hash);
  if (shared) clearHash();
  if (shared?.ok) {
    store.restoreWorkspace({ files: shared.workspace.files, baseline: shared.workspace.baseline });
    store.setNotice(
      `Opened a shared workspace of ${shared.workspace.files.length} file(s); it is now saved in this browser.`,
    );
    // Saved at once: the link is gone from the address bar, so a reload must find it here.
    persister.schedule(() => workspaceSnapshot(useStore.getState()));
    return;
  }
  if (shared && !shared.ok) store.setNotice(shared.message);
  // Storage that never answers (a stuck upgrade in another tab) must not keep the app from opening.
  const giveUp = new Promise<undefined>((resolve) => setTimeout(resolve, RESTORE_TIMEOUT_MS));
  const saved = await Promise.race([persister.load(), giveUp]);
  if (saved)
    useStore.getState().restoreWorkspace({ ...saved, history: decodeHistory(saved.history, saved.files) });
}

/**
 * Restores the workspace once per page (before the graph is shown, so the demo never flashes in
 * its place); true when done. Then saves every change of the documents, baseline or ranges.
 */
export function useWorkspaceStorage(): boolean {
  const storage = useWorkspaceStorageService();
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    let live = true;
    void storage.restoreOnce().then(() => {
      if (live) setRestored(true);
    });
    return () => {
      live = false;
    };
  }, [storage]);
  useEffect(() => {
    if (!restored) return;
    const unsubscribe = useStore.subscribe((state, previous) => {
      if (
        state.documents === previous.documents &&
        state.authoring.baseline === previous.authoring.baseline &&
        state.authoring.ranges === previous.authoring.ranges
      )
        return;
      storage.persister.schedule(() => workspaceSnapshot(useStore.getState()));
    });
    // A closing or hidden page gets its pending save written now, not after the delay.
    const flush = () => void storage.persister.flush();
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
  }, [restored, storage]);
  return restored;
}
