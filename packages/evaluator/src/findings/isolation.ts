import type { Direction, WorkloadPeer } from '../model.ts';
import { findingRuleInfo } from './catalog.ts';
import {
  type FindingContext,
  listText,
  makeFinding,
  namespaceLocation,
  policyNameLocation,
  workloadLocation,
} from './context.ts';
import { withProminence } from './severity.ts';
import { tierDefaultDenyNamespace, tierDeniesByDefault } from './tiersDefaults.ts';
import type { Finding } from './types.ts';

/**
 * Default-open findings: workloads no policy isolates, namespaces without a default-deny, pods on
 * the host network, and the node traffic every CNI lets through.
 */
export function isolationFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  const { cluster } = ctx;
  for (const w of cluster.workloads) {
    // hostNetwork pods get their own finding: whether policies apply to them at all is CNI-defined.
    if (w.hostNetwork) continue;
    // A cluster policy's catch-all Deny is a default deny too: the pod is not open to everywhere.
    if (!ctx.selectedForIngress[w.index] && !tierDeniesByDefault(ctx, w, 'Ingress'))
      out.push(openFinding(ctx, w, 'Ingress'));
    if (!ctx.selectedForEgress[w.index] && !tierDeniesByDefault(ctx, w, 'Egress'))
      out.push(openFinding(ctx, w, 'Egress'));
  }
  const namespaces = [
    ...new Set(cluster.workloads.filter((w) => !w.hostNetwork).map((w) => w.namespace)),
  ].sort();
  for (const ns of namespaces) {
    for (const direction of ['Ingress', 'Egress'] as const) {
      const finding = missingDefaultDeny(ctx, ns, direction);
      if (finding) out.push(finding);
    }
  }
  for (const w of cluster.workloads) if (w.hostNetwork) out.push(hostNetworkFinding(ctx, w));
  if (cluster.workloads.length > 0) {
    out.push(
      makeFinding('node-traffic', {
        key: 'cluster',
        title: "Traffic from each pod's own node is always allowed",
        message:
          "Whatever the policies say, CNIs admit traffic from a pod's own node so that the kubelet can run health checks. Anyone with access to a node, even without admin rights, can send traffic from the node's IP, or spoof it, and reach every pod on that node. NetworkPolicy is one layer: authenticate service-to-service traffic too (mTLS, tokens).",
        subjects: [],
        namespaces: [],
        locations: [],
      }),
    );
  } else if (cluster.policies.length > 0) {
    out.push(
      makeFinding('no-workloads', {
        key: 'cluster',
        title: 'No pods or workloads in the input: checks that need them were skipped',
        message: `The input has ${cluster.policies.length} NetworkPolicy object(s) but no Pod, Deployment, StatefulSet, DaemonSet, Job or other workload, so whether selectors match anything, named ports and open workloads could not be checked.`,
        subjects: [],
        namespaces: [],
        locations: [],
      }),
    );
  }
  return out;
}

function openFinding(ctx: FindingContext, w: WorkloadPeer, direction: Direction): Finding {
  const ingress = direction === 'Ingress';
  const others = ctx.policiesIn(w.namespace).filter((p) => (ingress ? p.affectsIngress : p.affectsEgress));
  const labels = Object.entries(w.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const context =
    others.length > 0
      ? ` ${others.length} ${direction.toLowerCase()} polic${others.length === 1 ? 'y' : 'ies'} in namespace ${w.namespace} (${listText(others.map((p) => p.name))}) select${others.length === 1 ? 's' : ''} other pods, not this one (its labels: ${labels || 'none'}).`
      : ` No policy in namespace ${w.namespace} restricts ${direction.toLowerCase()}.`;
  const what = ingress
    ? 'every pod of every namespace, and every address that can route to it, may connect to it on any port'
    : 'it may connect to every pod and every address on any port: a compromised pod can probe the cluster and send data anywhere';
  // Open ingress is open to every pod and address; more so when the workload is reachable from
  // outside the cluster or hands out cluster control.
  const { severity, note } = ingress
    ? withProminence(ctx, findingRuleInfo('open-ingress').defaultSeverity, [w.index])
    : { severity: findingRuleInfo('open-egress').defaultSeverity, note: '' };
  return makeFinding(ingress ? 'open-ingress' : 'open-egress', {
    key: w.id,
    severity,
    group: `namespace-open:${w.namespace}`,
    title: `${w.id} is open to ${ingress ? 'ingress from' : 'egress to'} everywhere: no policy selects it for ${direction}`,
    message: `No NetworkPolicy selects ${w.id} for ${direction}, so ${what}.${context}${note}`,
    subjects: [w.id, ...others.map((p) => p.id)],
    namespaces: [w.namespace],
    locations: [workloadLocation(w)],
    fix: {
      description: `Add a default-deny ${direction.toLowerCase()} policy to namespace ${w.namespace}, then allow what ${w.name} needs${ingress ? '' : ' (DNS included)'}.`,
      suggestion: {
        kind: ingress ? 'preset-default-deny-ingress' : 'preset-default-deny-egress',
        namespace: w.namespace,
      },
    },
  });
}

function missingDefaultDeny(ctx: FindingContext, ns: string, direction: Direction): Finding | undefined {
  const { cluster } = ctx;
  const ingress = direction === 'Ingress';
  const inNamespace = ctx.policiesIn(ns).filter((p) => (ingress ? p.affectsIngress : p.affectsEgress));
  // Any policy selecting every pod isolates the whole namespace for the direction, whatever its rules.
  if (inNamespace.some((p) => p.podSelector.matchesAll)) return undefined;
  if (tierDefaultDenyNamespace(ctx, ns, direction)) return undefined;
  const workloads = ctx.workloadsIn(ns).filter((w) => !w.hostNetwork);
  const selected = ingress ? ctx.selectedForIngress : ctx.selectedForEgress;
  // A pod whose policies admit everything (`egress: [{}]`) is selected, not isolated in effect.
  const admitsAll = (w: WorkloadPeer) =>
    (ingress ? cluster.ingressPolicies : cluster.egressPolicies)[w.index]!.some((p) =>
      (ingress ? p.ingress : p.egress).some((r) => r.peers === undefined && r.ports === undefined),
    );
  const selectedHere = workloads.filter((w) => selected[w.index]);
  const byLabel = selectedHere.filter((w) => !admitsAll(w)).map((w) => w.id);
  const inName = selectedHere.filter(admitsAll).map((w) => w.id);
  const open = workloads.filter((w) => !selected[w.index]).map((w) => w.id);
  const labelNote =
    byLabel.length > 0
      ? ` ${listText(byLabel)} ${byLabel.length === 1 ? 'is' : 'are'} isolated only because ${byLabel.length === 1 ? 'its' : 'their'} labels match a policy: whoever can change those labels (or create a pod with others) removes the protection.`
      : '';
  const nameNote =
    inName.length > 0
      ? ` ${listText(inName)} ${inName.length === 1 ? 'is' : 'are'} selected by a policy whose ${direction.toLowerCase()} rules admit every peer on every port, so ${inName.length === 1 ? 'it is' : 'they are'} not isolated in effect.`
      : '';
  const openNote = open.length > 0 ? ` Open today: ${listText(open)}.` : '';
  const location =
    namespaceLocation(cluster, ns) ?? (inNamespace[0] ? policyNameLocation(inNamespace[0]) : undefined);
  return makeFinding(ingress ? 'missing-default-deny-ingress' : 'missing-default-deny-egress', {
    key: ns,
    title: `Namespace ${ns} has no default-deny ${direction.toLowerCase()} policy`,
    message: `No policy in namespace ${ns} selects every pod (\`podSelector: {}\`) for ${direction}, so any pod a policy does not select by its labels, including pods created later, is open for ${direction.toLowerCase()}.${openNote}${nameNote}${labelNote}`,
    subjects: [...open, ...inName, ...byLabel],
    group: `namespace-open:${ns}`,
    namespaces: [ns],
    locations: [location ?? workloadLocation(workloads[0]!)],
    fix: {
      description: `Add a policy with \`podSelector: {}\` and \`policyTypes: [${direction}]\` and no rules to namespace ${ns}${ingress ? '' : ', and allow DNS'}.`,
      suggestion: {
        kind: ingress ? 'preset-default-deny-ingress' : 'preset-default-deny-egress',
        namespace: ns,
      },
    },
  });
}

function hostNetworkFinding(ctx: FindingContext, w: WorkloadPeer): Finding {
  const selectedBy = ctx.cluster.policies.filter((p) => p.selected.includes(w.index)).map((p) => p.id);
  const named = ctx.cluster.policies.filter((p) =>
    [...p.ingress, ...p.egress].some((r) => r.peers?.some((peer) => peer.members[w.index] === 1)),
  );
  const relied = selectedBy.length > 0 || named.length > 0;
  // A policy written for it that cannot take effect is a hole someone believes closed.
  return makeFinding('host-network', {
    key: w.id,
    severity: selectedBy.length > 0 ? 'medium' : relied ? 'low' : 'info',
    group: `host-network:${w.namespace}:${selectedBy.length > 0 ? 'selected' : relied ? 'named' : 'alone'}`,
    title: `${w.id} runs on the host network: NetworkPolicy may not apply to it`,
    message: `${w.id} uses \`hostNetwork: true\`: its pods share their node's IP. Most CNIs do not apply NetworkPolicy to such pods, and other pods see their traffic as node traffic, which is always allowed.${selectedBy.length > 0 ? ` Policies selecting it (${listText(selectedBy)}) may have no effect.` : ''}${named.length > 0 ? ` Rules that name it as a peer (in ${listText(named.map((p) => p.id))}) may not match its traffic.` : ''}`,
    subjects: [w.id, ...selectedBy, ...named.map((p) => p.id)],
    namespaces: [w.namespace],
    locations: [workloadLocation(w)],
    fix: {
      description: `Run ${w.id} without \`hostNetwork: true\` if it does not need the node's network (then its policies apply); otherwise protect its ports with the node's firewall or the CNI's host policies.`,
      suggestion: { kind: 'disable-host-network', workload: w.id },
    },
  });
}
