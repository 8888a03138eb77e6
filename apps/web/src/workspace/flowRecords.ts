import type { Cluster } from '@netpol-atlas/evaluator';
import { FlowAggregator, type FlowRecord } from '@netpol-atlas/flows';

/** Distinct record groups kept; past this, records of new groups are counted, not kept. */
const DEFAULT_MAX_GROUPS = 250_000;

/** Aggregators kept: the graph's cluster and a change's before and after. */
const CACHED_CLUSTERS = 3;

interface RecordGroup {
  /** The group's first record, its count and times widened to the whole group. */
  record: FlowRecord;
  /** How many records it stands for. */
  records: number;
}

/**
 * The records of one imported flow file, kept in the worker so they can be matched again when the
 * workloads change (an edited Deployment, new labels). A 1 GB file is not kept as it was read:
 * records that name the same ends, port, verdict and duplicate flag are summed into one group
 * (counts added, first/last seen widened), which is everything a {@link FlowAggregator} reads of
 * them. The aggregator of the last cluster is kept while that cluster's workloads stay the same
 * objects (a policy edit rebuilds the cluster but keeps its workloads).
 */
export class FlowRecordStore {
  private readonly groups = new Map<string, RecordGroup>();
  private readonly maxGroups: number;
  /** The aggregators of the last clusters asked about (the graph's, a change's before and after). */
  private cached: Array<{ cluster: Cluster; aggregator: FlowAggregator }> = [];
  /** Records of groups past the limit: counted here, not matched. */
  overflowRecords = 0;

  constructor(maxGroups = DEFAULT_MAX_GROUPS) {
    this.maxGroups = maxGroups;
  }

  /** Adds one record read from the file. */
  add(record: FlowRecord): void {
    const key = JSON.stringify([
      record.src,
      record.dst,
      record.protocol,
      record.port,
      record.verdict,
      record.duplicate === true,
    ]);
    const group = this.groups.get(key);
    if (!group) {
      if (this.groups.size >= this.maxGroups) {
        this.overflowRecords++;
        return;
      }
      this.groups.set(key, { record: { ...record }, records: 1 });
      if (this.cached.length > 0) this.cached = [];
      return;
    }
    const kept = group.record;
    group.records++;
    kept.count += record.count;
    if (record.firstSeen !== undefined && (kept.firstSeen === undefined || record.firstSeen < kept.firstSeen))
      kept.firstSeen = record.firstSeen;
    if (record.lastSeen !== undefined && (kept.lastSeen === undefined || record.lastSeen > kept.lastSeen))
      kept.lastSeen = record.lastSeen;
    if (this.cached.length > 0) this.cached = [];
  }

  /** How many distinct groups are kept. */
  get size(): number {
    return this.groups.size;
  }

  /** The records matched to `cluster`'s workloads and aggregated per workload pair and port. */
  aggregatorFor(cluster: Cluster): FlowAggregator {
    const hit = this.cached.find((c) => sameWorkloads(c.cluster, cluster));
    if (hit) return hit.aggregator;
    const aggregator = new FlowAggregator(cluster);
    for (const { record, records } of this.groups.values()) {
      const unmatchedBefore = aggregator.unmatchedRecords;
      aggregator.add(record);
      // The group went in as one record: count the others it stands for where it landed.
      aggregator.records += records - 1;
      if (aggregator.unmatchedRecords > unmatchedBefore) aggregator.unmatchedRecords += records - 1;
    }
    this.cached = [{ cluster, aggregator }, ...this.cached].slice(0, CACHED_CLUSTERS);
    return aggregator;
  }
}

/** The same workloads in the same order (an aggregator holds workload indexes). */
function sameWorkloads(a: Cluster, b: Cluster): boolean {
  if (a === b) return true;
  if (a.workloads.length !== b.workloads.length) return false;
  return a.workloads.every((w, i) => w === b.workloads[i]);
}
