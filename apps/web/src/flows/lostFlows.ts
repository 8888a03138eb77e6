/** Where the name of the last imported flow file is kept, so a reload can say its flows are gone. */
const KEY = 'netpol-atlas.flows.imported';

/** What a reload can say about flows imported before it. */
export interface ImportedFlowsNote {
  name: string;
  records: number;
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    // Storage disabled (private mode, sandboxed frame): nothing to remember.
    return undefined;
  }
}

/**
 * Remembers that a flow file was imported. Only its name and size go to storage: the flows stay
 * in the worker (a capture can be 1 GB, and its matching depends on the workloads of the moment),
 * so after a reload the page says they are gone rather than showing an overlay of stale data.
 */
export function rememberImportedFlows(note: ImportedFlowsNote): void {
  storage()?.setItem(KEY, JSON.stringify(note));
}

/** The flows imported before the last reload, if any. */
export function importedBeforeReload(): ImportedFlowsNote | undefined {
  const text = storage()?.getItem(KEY);
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<ImportedFlowsNote>;
    return typeof value.name === 'string' && typeof value.records === 'number'
      ? { name: value.name, records: value.records }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets the note (the user dismissed it, or closed the overlay). */
export function forgetImportedFlows(): void {
  storage()?.removeItem(KEY);
}
