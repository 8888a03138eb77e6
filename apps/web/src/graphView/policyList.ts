import type { PolicySummary } from '../model/index.ts';

/** A row of the policy list: a group heading, or a policy. */
export type PolicyListRow =
  | { kind: 'group'; key: string; label: string; count: number }
  | { kind: 'policy'; key: string; policy: PolicySummary };

/** localeCompare's order, without building a collator per comparison (6,000 policies sort on every analysis). */
const compareText = new Intl.Collator().compare;

function byPriority(a: PolicySummary, b: PolicySummary): number {
  return (a.priority ?? 0) - (b.priority ?? 0) || compareText(a.id, b.id);
}

/**
 * Per list of policies (one per analysis), its rows: the panel mounted again, or a second
 * reader, does not sort 6,000 policies again.
 */
const built = new WeakMap<readonly PolicySummary[], readonly PolicyListRow[]>();

/**
 * The policy list in the order the layers run: the Admin tier by priority, NetworkPolicies by
 * namespace, then the Baseline tier, each under a heading. Built once per list of policies.
 */
export function policyListRows(policies: readonly PolicySummary[]): readonly PolicyListRow[] {
  const cached = built.get(policies);
  if (cached) return cached;
  const rows: PolicyListRow[] = [];
  const group = (key: string, label: string, list: PolicySummary[]) => {
    if (list.length === 0) return;
    rows.push({ kind: 'group', key: `group:${key}`, label, count: list.length });
    for (const policy of list) rows.push({ kind: 'policy', key: policy.id, policy });
  };
  group('Admin', 'Admin tier', policies.filter((p) => p.tier === 'Admin').sort(byPriority));
  const byNamespace = new Map<string, PolicySummary[]>();
  for (const p of policies) {
    if (p.tier !== 'NetworkPolicy') continue;
    const list = byNamespace.get(p.namespace);
    if (list) list.push(p);
    else byNamespace.set(p.namespace, [p]);
  }
  for (const namespace of [...byNamespace.keys()].sort()) {
    const list = byNamespace.get(namespace)!.sort((a, b) => compareText(a.name, b.name));
    group(`ns:${namespace}`, `NetworkPolicy · ${namespace}`, list);
  }
  group('Baseline', 'Baseline tier', policies.filter((p) => p.tier === 'Baseline').sort(byPriority));
  built.set(policies, rows);
  return rows;
}
