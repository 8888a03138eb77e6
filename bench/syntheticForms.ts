// The building blocks of the synthetic cluster's policy templates (syntheticPolicies.ts,
// syntheticRotation.ts): what a template sees, and the selectors and picks they share.
import {
  NAME_LABEL,
  type NamespacePlan,
  type Random,
  type Tier,
  type WorkloadPlan,
} from './syntheticPlan.ts';
import type { YamlMap } from './yaml.ts';

export interface PolicyContext {
  ns: NamespacePlan;
  all: readonly NamespacePlan[];
  rng: Random;
}

interface PolicyPlan {
  name: string;
  spec: YamlMap;
}

export type PolicyTemplate = (ctx: PolicyContext) => PolicyPlan;

export const ALL: YamlMap = {};

export function byApp(w: WorkloadPlan | undefined): YamlMap {
  return w ? { matchLabels: { app: w.labels.app! } } : ALL;
}

export function byName(namespace: string): YamlMap {
  return { matchLabels: { [NAME_LABEL]: namespace } };
}

/** A random workload of one of `tiers` in the namespace, else any of its workloads. */
export function pickWorkload(ctx: PolicyContext, tiers: readonly Tier[]): WorkloadPlan | undefined {
  const matching = ctx.ns.workloads.filter((w) => tiers.includes(w.tier));
  if (matching.length > 0) return ctx.rng.pick(matching);
  return ctx.ns.workloads.length > 0 ? ctx.rng.pick(ctx.ns.workloads) : undefined;
}

export function otherNamespace(ctx: PolicyContext): NamespacePlan {
  const others = ctx.all.filter((n) => n !== ctx.ns);
  return others.length > 0 ? ctx.rng.pick(others) : ctx.ns;
}
