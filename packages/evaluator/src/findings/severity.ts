import type { Labels } from '@netpol-atlas/manifests';
import { rulePorts } from '../analyze.ts';
import { MAX_PORT, MIN_PORT, PROTOCOLS } from '../connectionSet.ts';
import type { CompiledRule, WorkloadPeer } from '../model.ts';
import { FINDING_SEVERITIES, severityRank } from './catalog.ts';
import type { FindingContext } from './context.ts';
import type { FindingSeverity } from './types.ts';

/**
 * Severity follows who can exploit a finding and what they reach. The rule modules pick a base
 * from the attacker's position (any pod or address; anyone who can create a pod somewhere; anyone
 * who can label a namespace), then adjust: a rule limited to a few ports is one step less severe
 * than one open on every port, egress one step less than ingress, and a protected workload that
 * is reachable from outside the cluster or is known to be dangerous one step more.
 */

/** One step less severe (info stays info). */
export function lower(severity: FindingSeverity): FindingSeverity {
  return FINDING_SEVERITIES[Math.min(severityRank(severity) + 1, FINDING_SEVERITIES.length - 1)]!;
}

/** One step more severe (critical stays critical). */
export function raise(severity: FindingSeverity): FindingSeverity {
  return FINDING_SEVERITIES[Math.max(severityRank(severity) - 1, 0)]!;
}

/** Why a workload matters more than most: what exposes it, or what it is. */
export interface Prominence {
  workload: WorkloadPeer;
  reason: string;
  /** True when a Service exposes it: then only what opens more than the Service's ports matters more. */
  exposed: boolean;
}

/**
 * Workloads known to hand out cluster control when reached: the Kubernetes dashboard (often run
 * with a privileged service account and skip-login) and Helm 2's tiller (an unauthenticated gRPC
 * API with cluster-admin rights). Matched on the names and label values projects ship with.
 */
const DANGEROUS = /(^|[-_.])(kubernetes-dashboard|dashboard|tiller(-deploy)?)($|[-_.])/;

function dangerousName(w: WorkloadPeer): boolean {
  return DANGEROUS.test(w.name) || Object.values(w.labels).some((v) => DANGEROUS.test(v));
}

function selects(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

const cache = new WeakMap<FindingContext, Map<number, Prominence>>();

/**
 * Workloads behind a LoadBalancer or NodePort Service (reachable from outside the cluster, so
 * every port a rule opens is one an outsider may reach through the node) and known-dangerous
 * ones, by workload index. Computed once per review.
 */
export function prominentWorkloads(ctx: FindingContext): Map<number, Prominence> {
  const known = cache.get(ctx);
  if (known) return known;
  const out = new Map<number, Prominence>();
  for (const object of ctx.options.objects ?? []) {
    if (object.kind !== 'Service' || !object.selector || Object.keys(object.selector).length === 0) continue;
    const spec = (object.raw as { spec?: { type?: unknown } }).spec;
    const type = spec?.type;
    if (type !== 'LoadBalancer' && type !== 'NodePort') continue;
    const namespace = object.metadata.namespace ?? 'default';
    for (const w of ctx.workloadsIn(namespace)) {
      if (!out.has(w.index) && selects(object.selector, w.labels)) {
        out.set(w.index, {
          workload: w,
          reason: `exposed outside the cluster by ${type} Service ${namespace}/${object.metadata.name}`,
          exposed: true,
        });
      }
    }
  }
  for (const w of ctx.cluster.workloads) {
    if (!out.has(w.index) && dangerousName(w)) {
      out.set(w.index, {
        workload: w,
        reason: 'a known-dangerous workload (cluster dashboards and tiller hand out cluster control)',
        exposed: false,
      });
    }
  }
  cache.set(ctx, out);
  return out;
}

/** The prominent workloads among `indices`, in order. */
export function prominentAmong(ctx: FindingContext, indices: readonly number[]): Prominence[] {
  const all = prominentWorkloads(ctx);
  return indices.flatMap((i) => all.get(i) ?? []);
}

/**
 * Raises `severity` one step when a workload an ingress rule protects is prominent, and says why
 * in one sentence (empty when nothing changes). A Service already opens its own ports to the
 * outside, so Service exposure counts only when `everyPort` (the finding opens every port, debug
 * and admin ones included); known-dangerous workloads count always.
 */
export function withProminence(
  ctx: FindingContext,
  severity: FindingSeverity,
  protectedWorkloads: readonly number[],
  everyPort = true,
): { severity: FindingSeverity; note: string } {
  const found = prominentAmong(ctx, protectedWorkloads).filter((p) => everyPort || !p.exposed);
  if (found.length === 0) return { severity, note: '' };
  const first = found[0]!;
  const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
  return {
    severity: raise(severity),
    note: ` Severity raised: ${first.workload.id} is ${first.reason}${more}.`,
  };
}

/** True when the rule admits every port of at least one protocol. */
export function coversEveryPort(rule: CompiledRule): boolean {
  if (!rule.ports) return true;
  const conn = rulePorts(rule, undefined);
  return PROTOCOLS.some((p) => conn[p].length === 2 && conn[p][0] === MIN_PORT && conn[p][1] === MAX_PORT);
}
