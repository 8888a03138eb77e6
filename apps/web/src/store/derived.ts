import { create } from 'zustand';
import type { Positions } from '../graph/index.ts';
import type { GraphModel, Problem } from '../model/index.ts';

/**
 * Results computed from the state by the worker. They are caches keyed by the inputs that
 * produced them (`files`, `graphKey`), never edited by hand, and never persisted.
 */
export interface Derived {
  analysis: {
    status: 'analyzing' | 'ready' | 'failed';
    /** The documents array the result was computed from. */
    files: unknown;
    model: GraphModel | undefined;
    problems: Problem[];
    ms: number;
    error: string | undefined;
  };
  layout: { key: string; positions: Positions | undefined; status: 'laying-out' | 'ready' | 'failed' };
}

/** Stable empty values for selectors: a fresh `[]` per call would re-render forever. */
export const NONE: readonly never[] = Object.freeze([]);

export const useDerived = create<Derived>()(() => ({
  analysis: {
    status: 'analyzing',
    files: undefined,
    model: undefined,
    problems: [],
    ms: 0,
    error: undefined,
  },
  layout: { key: '', positions: undefined, status: 'laying-out' },
}));
