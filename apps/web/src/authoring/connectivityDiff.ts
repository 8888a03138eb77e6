import {
  type Analysis,
  analyze,
  buildCluster,
  type ClusterOptions,
  diffAnalyses,
  formatConnectionSet,
} from '@netpol-atlas/evaluator';
import { parseManifests, type SourceFile } from '@netpol-atlas/manifests';

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

/** Parses and analyses a set of files, as `netpol` does for one directory. */
export function analyseFiles(files: readonly SourceFile[], options: ClusterOptions = {}): Analysis {
  return analyze(buildCluster(parseManifests(files).objects, options));
}

/** `diffAnalyses` (the engine of `netpol diff`) as plain data for the UI. */
export function diffConnectivity(before: Analysis, after: Analysis): ConnectivityDiffView {
  const diff = diffAnalyses(before, after);
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
