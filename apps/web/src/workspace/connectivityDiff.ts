import { type ConnectivityDiff, formatConnectionSet } from '@netpol-atlas/evaluator';

/** One pair whose connectivity differs, with the evaluator's connection strings. */
export interface ConnectionChangeView {
  type: 'added' | 'removed' | 'changed';
  src: string;
  dst: string;
  /** `No Connections` when there was none, as `netpol diff` writes it. */
  before: string;
  after: string;
}

/** The connectivity difference between the baseline and the current documents. */
export interface ConnectivityDiffView {
  changes: ConnectionChangeView[];
  /** Pairs allowed alike before and after. */
  unchanged: number;
}

/** A connectivity diff (the engine of `netpol diff`, as a workspace answers it) as plain data for the UI. */
export function diffConnectivity(diff: ConnectivityDiff): ConnectivityDiffView {
  return {
    changes: diff.changes.map((c) => ({
      type: c.type,
      src: c.src.id,
      dst: c.dst.id,
      before: c.before ? formatConnectionSet(c.before) : 'No Connections',
      after: c.after ? formatConnectionSet(c.after) : 'No Connections',
    })),
    unchanged: diff.unchanged.length,
  };
}
