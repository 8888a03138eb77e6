import { type Analysis, type Connection, connectionDelta, equalConnections } from '@netpol-atlas/evaluator';

/** How the connections of a revision differ from those of an earlier one. */
export interface ConnectionsDelta {
  /** The revision the delta leads to. */
  revision: number;
  /** The revision it starts from. */
  since: number;
  /**
   * Connections of `revision` that `since` lacks or allows differently (with the new set).
   * Applied to the connections of `since` (keyed by source and destination peer ids), together
   * with `removed`, they give exactly the connections of `revision`.
   */
  upserted: readonly Connection[];
  /** Connections of `since` whose pair has none in `revision` (with the old set). */
  removed: readonly Connection[];
  /**
   * True when only the rows and columns of workloads whose policies changed were compared (the
   * evaluator's `connectionDelta`); false when every connection of both was.
   */
  incremental: boolean;
  /** How many workloads' rows (egress) were compared: all of them in a full comparison. */
  sources: number;
  /** How many workloads' columns (ingress) were compared. */
  destinations: number;
}

function pairKey(c: Connection): string {
  return `${c.src.id}\u0000${c.dst.id}`;
}

/**
 * The delta between two analyses: the evaluator's `connectionDelta` when they share their
 * workloads (an edit that changed only policies), else a comparison of every connection by peer
 * ids, which is what a consumer keyed by ids (an edge list) needs when workloads or address
 * ranges changed.
 */
export function deltaBetween(
  before: Analysis,
  after: Analysis,
  revisions: { since: number; revision: number },
): ConnectionsDelta {
  const fast = connectionDelta(before, after);
  if (fast) {
    const { upserted, removed, sources, destinations } = fast;
    return { ...revisions, upserted, removed, incremental: true, sources, destinations };
  }
  const old = new Map<string, Connection>();
  for (const c of before.connections()) old.set(pairKey(c), c);
  const upserted: Connection[] = [];
  for (const c of after.connections()) {
    const key = pairKey(c);
    const was = old.get(key);
    old.delete(key);
    if (!was || !equalConnections(was.conn, c.conn)) upserted.push(c);
  }
  const all = after.workloads.length;
  return {
    ...revisions,
    upserted,
    removed: [...old.values()],
    incremental: false,
    sources: all,
    destinations: all,
  };
}
