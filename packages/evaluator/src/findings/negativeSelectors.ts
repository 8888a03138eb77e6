import type { LabelSelector, PathSegment } from '@netpol-atlas/manifests';
import type { CompiledRule, WorkloadPeer } from '../model.ts';
import {
  allRules,
  type FindingContext,
  listText,
  makeFinding,
  peerName,
  peerPath,
  peersField,
  policyLocation,
  rawPeer,
  ruleKey,
} from './context.ts';
import type { Finding } from './types.ts';

const POSITIVE = new Set(['In', 'Exists']);

/**
 * True for a selector made only of exclusions (NotIn, DoesNotExist) with at least one of them:
 * a pod or namespace without labels matches it, so it matches everything created later unless
 * someone remembers to label it. A single positive requirement (matchLabels, In, Exists) means a
 * newcomer must carry a chosen label first.
 */
export function excludesOnly(selector: LabelSelector | undefined): boolean {
  if (!selector) return false;
  if (Object.keys(selector.matchLabels ?? {}).length > 0) return false;
  const expressions = selector.matchExpressions ?? [];
  return expressions.length > 0 && !expressions.some((e) => POSITIVE.has(e.operator));
}

function exclusionsText(selector: LabelSelector): string {
  return (selector.matchExpressions ?? [])
    .map((e) => (e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} NotIn (${e.values.join(',')})`))
    .join(', ');
}

/**
 * Selectors written as exclusions only. In a peer (medium) every new or unlabelled pod, or every
 * new namespace, is admitted the moment it exists; as a policy's podSelector with allow rules
 * (low), every new pod of the namespace receives those allows.
 */
export function negativeSelectorFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  const { cluster } = ctx;
  for (const policy of cluster.policies) {
    const selector = policy.object.spec.podSelector;
    const rules = [
      ...(policy.affectsIngress ? policy.ingress : []),
      ...(policy.affectsEgress ? policy.egress : []),
    ];
    if (!excludesOnly(selector) || rules.length === 0) continue;
    const today = policy.selected.map((i) => cluster.workloads[i]!.id);
    out.push(
      makeFinding('negative-selector', {
        key: `${policy.id}/podSelector`,
        severity: 'low',
        title: `${policy.id} applies its allow rules to every pod without the excluded labels`,
        message: `${policy.id} selects pods by exclusion only (${exclusionsText(selector)}), so every new or unlabelled pod of namespace ${policy.namespace} gets its ${rules.length} allow rule(s) as soon as it starts. It selects ${today.length} workload(s) today: ${listText(today)}.`,
        subjects: [policy.id, ...today],
        namespaces: [policy.namespace],
        locations: [policyLocation(policy, ['spec', 'podSelector'])],
      }),
    );
  }
  for (const rule of allRules(cluster)) {
    for (const peer of rule.peers ?? []) {
      if (peer.kind !== 'selector') continue;
      const raw = rawPeer(rule, peer.index);
      for (const field of ['namespaceSelector', 'podSelector'] as const) {
        const selector = raw?.[field];
        if (!excludesOnly(selector)) continue;
        out.push(peerFinding(ctx, rule, peer.index, field, selector!, peer.members));
      }
    }
  }
  return out;
}

function peerFinding(
  ctx: FindingContext,
  rule: CompiledRule,
  peer: number,
  field: 'namespaceSelector' | 'podSelector',
  selector: LabelSelector,
  members: Uint8Array,
): Finding {
  const admitted = ctx.cluster.workloads.filter((w) => members[w.index] === 1);
  const today = admitted.map((w) => w.id);
  const what =
    field === 'namespaceSelector'
      ? 'every namespace created later (and every namespace without those labels)'
      : 'every new or unlabelled pod in the namespaces it covers';
  const path: PathSegment[] = [...peerPath(rule, peer), field];
  return makeFinding('negative-selector', {
    key: `${ruleKey(rule)}.${peersField(rule)}[${peer}].${field}`,
    title: `${peerName(rule, peer)} admits by exclusion: ${field === 'namespaceSelector' ? 'new namespaces' : 'new pods'} are in by default`,
    message: `The ${field} of ${peerName(rule, peer)} only excludes (${exclusionsText(selector)}), so it admits ${what}: nobody has to label anything for a new workload to be trusted. It admits ${today.length} workload(s) today: ${listText(today)}.`,
    subjects: [rule.policy.id],
    namespaces: [rule.policy.namespace],
    locations: [policyLocation(rule.policy, path)],
    ...positiveFix(rule, peer, field, admitted),
  });
}

/**
 * What the peer trusts today, said positively: the namespaces by name, or the labels every
 * admitted pod shares (the exclusions can stay beside them as a refinement). None when the
 * admitted workloads share nothing.
 */
function positiveFix(
  rule: CompiledRule,
  peer: number,
  field: 'namespaceSelector' | 'podSelector',
  admitted: readonly WorkloadPeer[],
): { fix?: Finding['fix'] } {
  if (admitted.length === 0) return {};
  const ref = { policy: rule.policy.id, direction: rule.direction, rule: rule.index, peer };
  if (field === 'namespaceSelector') {
    const namespaces = [...new Set(admitted.map((w) => w.namespace))].sort();
    return {
      fix: {
        description: `Name the namespaces it trusts today: \`kubernetes.io/metadata.name In (${namespaces.join(', ')})\`.`,
        suggestion: { kind: 'use-namespace-name-label', ...ref, namespaces },
      },
    };
  }
  const shared = Object.entries(admitted[0]!.labels).filter(([k, v]) =>
    admitted.every((w) => w.labels[k] === v),
  );
  if (shared.length === 0) {
    // No common value: a key every admitted pod carries, listing today's values.
    const key = Object.keys(admitted[0]!.labels).find((k) =>
      admitted.every((w) => w.labels[k] !== undefined),
    );
    if (key === undefined) return {};
    const values = [...new Set(admitted.map((w) => w.labels[key]!))].sort();
    return {
      fix: {
        description: `Name the pods it trusts today: \`${key} In (${values.join(', ')})\` (the exclusions can stay beside it).`,
        suggestion: { kind: 'require-label-in', ...ref, key, values },
      },
    };
  }
  const labels = Object.fromEntries(shared);
  return {
    fix: {
      description: `Require a label the pods it trusts today share: ${shared.map(([k, v]) => `${k}=${v}`).join(', ')} (the exclusions can stay beside it).`,
      suggestion: { kind: 'set-peer-labels', ...ref, labels },
    },
  };
}
