import type { DocumentFile } from '../model/index.ts';
import type { History, State } from './types.ts';

const HISTORY_LIMIT = 200;
/** Edits to one file closer together than this undo as one step: a burst of typing, not each key. */
export const COALESCE_MS = 1000;

export const EMPTY_HISTORY: History = { past: [], future: [], lastEdit: undefined };

/** Bounded steps, as restored from storage (never coalesced with the next edit). */
export function restoredHistory(
  saved: { past: DocumentFile[][]; future: DocumentFile[][] } | undefined,
): History {
  return {
    past: (saved?.past ?? []).slice(-HISTORY_LIMIT),
    future: (saved?.future ?? []).slice(0, HISTORY_LIMIT),
    lastEdit: undefined,
  };
}

/**
 * Records the current documents as an undo step, then applies `files`. An edit typed into the file
 * edited last, within `COALESCE_MS` of it, joins that step instead.
 */
export function withHistory(
  state: State,
  files: DocumentFile[],
  now: number,
  editedFile?: string,
): Pick<State, 'documents' | 'history'> {
  const last = state.history.lastEdit;
  const coalesce =
    editedFile !== undefined &&
    last !== undefined &&
    editedFile === last.fileId &&
    now - last.at < COALESCE_MS &&
    state.history.past.length > 0;
  return {
    documents: { ...state.documents, files },
    history: {
      past: coalesce
        ? state.history.past
        : [...state.history.past, state.documents.files].slice(-HISTORY_LIMIT),
      future: [],
      lastEdit: editedFile === undefined ? undefined : { fileId: editedFile, at: now },
    },
  };
}
