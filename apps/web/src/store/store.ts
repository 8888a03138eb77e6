import { create } from 'zustand';
import { authoringSlice } from './authoringSlice.ts';
import { documentsSlice } from './documentsSlice.ts';
import { initialState } from './initialState.ts';
import type { SliceContext } from './slice.ts';
import type { Store } from './types.ts';
import { viewSlice } from './viewSlice.ts';

/** What a store is made with; tests pass their own clock. */
export interface StoreOptions {
  /** Milliseconds now; decides which edits coalesce into one undo step. */
  now?: () => number;
}

/**
 * Makes an application store. One store holds three named slices (documents with their history,
 * view, authoring), each in its own module; results the worker computes live apart in
 * `useDerived` (store/derived.ts), because they are caches of the state, never state.
 */
export function createAppStore(options: StoreOptions = {}) {
  const now = options.now ?? Date.now;
  let created = 0;
  const newId = (path: string) => {
    created += 1;
    return `${path}#${created}`;
  };
  return create<Store>()((set, get) => {
    const context: SliceContext = { set, get, now, newId };
    return {
      ...initialState(),
      ...documentsSlice(context),
      ...viewSlice(context),
      ...authoringSlice(context),
    };
  });
}

/** The one application store. Components call actions; they never call `set` themselves. */
export const useStore = createAppStore();
