import type { StoreApi } from 'zustand';
import type { Store } from './types.ts';

/** What every slice's actions are built from: the store's own set/get, and its injected services. */
export interface SliceContext {
  set: StoreApi<Store>['setState'];
  get: StoreApi<Store>['getState'];
  /** The store's clock (milliseconds), injected so tests control time. */
  now: () => number;
  /** A fresh document id for a path; unique within this store. */
  newId: (path: string) => string;
}
