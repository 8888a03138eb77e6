import {
  explainConnection,
  formatConnectionSet,
  intersectConnections,
  isEmptyConnections,
  plural,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import { compile } from './compiled.ts';
import { PolicyEditSet } from './editSet.ts';
import { checkPorts, portsText } from './intent.ts';
import { definesNamedPort, type Endpoint, requestedConnections, resolveEndpoint } from './peers.ts';
import { edgeEffects, failure, planOk } from './planResult.ts';
import { mergeNeed, missingPorts, type PortNeed, targetsFor, writeRule } from './ruleWrite.ts';
import { planTierAllow } from './tierPlan.ts';
import type { EdgeIntent, Plan, PlanOptions, PlanSource } from './types.ts';
import { beyondIntent, intentPairs, intentShortfall, pairConnections, verifyEdits } from './verify.ts';

/**
 * Plans the minimal policy change that allows `intent.src` to reach `intent.dst` on the given
 * ports: an ingress rule on a policy selecting the destination when its ingress is isolated, and
 * an egress rule on the source side when its egress is isolated (or `egress: 'always'`). Reuses a
 * policy that selects exactly the workload's stable labels, else appends a new
 * `allow-<src>-to-<dst>` policy. The edit is applied, re-parsed and re-evaluated: the plan lists
 * every connection it adds and those beyond the drawn edge (side effects, e.g. other pods sharing
 * the labels), and fails rather than return an edit that does not do what was asked. With
 * `placement: 'admin' | 'baseline'` the rules are ClusterNetworkPolicy Accepts in that tier
 * instead (see {@link EdgeIntent.placement}).
 */
export function plan(
  input:
    | { workspace: PlanSource; intent: EdgeIntent; options?: PlanOptions }
    | { files: PlanSource; intent: EdgeIntent; options?: PlanOptions },
): Plan {
  const { intent } = input;
  const checked = checkPorts(intent.ports);
  if ('problem' in checked) return failure('invalid-input', checked.problem);
  const { ports } = checked;
  const ws = compile('workspace' in input ? input.workspace : input.files, input.options);
  const src = resolveEndpoint(ws.cluster, intent.src);
  if ('reason' in src) return failure(src.reason, src.message);
  const dst = resolveEndpoint(ws.cluster, intent.dst);
  if ('reason' in dst) return failure(dst.reason, dst.message);
  if (src.kind === 'cidr' && dst.kind === 'cidr') {
    return failure(
      'invalid-input',
      'both ends are address ranges outside the cluster: NetworkPolicy only governs traffic to and from pods',
    );
  }
  if (src.kind === 'workload' && dst.kind === 'workload' && src.workload.id === dst.workload.id) {
    return failure('already-allowed', 'a pod can always reach itself: NetworkPolicy never blocks that');
  }
  for (const port of ports === 'all' ? [] : ports) {
    if (typeof port.port !== 'string') continue;
    if (dst.kind === 'cidr') {
      return failure(
        'invalid-input',
        `named port ${port.port}: names resolve on a destination pod's containers, never on an address range; give the number`,
      );
    }
    if (!dst.workloads.some((w) => definesNamedPort(w, port))) {
      const known = [
        ...new Set(
          dst.workloads.flatMap((w) => w.ports.filter((p) => p.name).map((p) => `${p.name}/${p.protocol}`)),
        ),
      ];
      return failure(
        'unknown-port',
        `${dst.text} defines no ${port.protocol} port named ${port.port}${known.length > 0 ? ` (it has ${known.join(', ')})` : ''}`,
      );
    }
  }
  const names = { src: src.slug, dst: dst.slug, srcText: src.text, dstText: dst.text };
  const what = `${src.text} -> ${dst.text} on ${portsText(ports)}`;

  // An except is a promise that those addresses stay out; if they are allowed now, only a deny could keep it.
  const hasHoles = (e: Endpoint) => e.kind === 'cidr' && e.holes.length > 0;
  for (const pair of hasHoles(src) || hasHoles(dst) ? intentPairs(ws, src, dst, true) : []) {
    const open = intersectConnections(
      pairConnections(ws, pair),
      requestedConnections(ports, pair.dstWorkload),
    );
    if (!isEmptyConnections(open)) {
      return failure(
        'needs-deny',
        `${pair.src.id} -> ${pair.dst.id} is in the excepted range yet allowed (${formatConnectionSet(open)}): ` +
          'NetworkPolicy rules only allow, so no rule can take it away. Isolate that side first ' +
          '(a default-deny preset, or remove the edge), then draw this edge again.',
      );
    }
  }

  const placement = intent.placement ?? 'namespace';
  if (placement !== 'namespace') {
    if (placement !== 'admin' && placement !== 'baseline') {
      return failure('invalid-input', `unknown placement ${String(placement)}: namespace, admin or baseline`);
    }
    if (intent.egress === 'always') {
      return failure(
        'invalid-input',
        'egress: always is about namespace NetworkPolicies; a cluster tier writes each side it needs',
      );
    }
    return planTierAllow(
      ws,
      placement === 'admin' ? 'Admin' : 'Baseline',
      src,
      dst,
      ports,
      what,
      intent.priority,
    );
  }

  const ingressNeeds = new Map<string, { workload: WorkloadPeer; need: PortNeed }>();
  const egressNeeds = new Map<string, { workload: WorkloadPeer; need: PortNeed }>();
  const record = (map: typeof ingressNeeds, workload: WorkloadPeer, need: PortNeed) => {
    const entry = map.get(workload.id);
    map.set(workload.id, { workload, need: mergeNeed(entry?.need, need) });
  };
  const newlyIsolated = new Set<string>();
  for (const pair of intentPairs(ws, src, dst)) {
    const wanted = requestedConnections(ports, pair.dstWorkload);
    if (isEmptyConnections(wanted)) continue;
    const explanation = explainConnection(ws.cluster, pair.src, pair.dst);
    if (pair.dst.type === 'workload' && explanation.ingress.isolated) {
      const need = missingPorts(ports, pair.dstWorkload, explanation.ingress.conn);
      if (need) record(ingressNeeds, pair.dst, need);
    }
    if (pair.src.type === 'workload') {
      if (explanation.egress.isolated) {
        const need = missingPorts(ports, pair.dstWorkload, explanation.egress.conn);
        if (need) record(egressNeeds, pair.src, need);
      } else if (intent.egress === 'always') {
        record(egressNeeds, pair.src, ports === 'all' ? 'all' : new Set(ports.map((_, i) => i)));
        newlyIsolated.add(pair.src.id);
      }
    }
  }
  if (ingressNeeds.size === 0 && egressNeeds.size === 0) {
    const why =
      src.workloads.length === 0 && dst.workloads.length === 0
        ? ' (there are no workloads at either end)'
        : '';
    return failure('already-allowed', `${what} is already allowed${why}`);
  }

  const edits = new PolicyEditSet(ws);
  const ingressTargets = targetsFor(ws.cluster, 'Ingress', dst, ingressNeeds, false);
  if ('problem' in ingressTargets) return failure('no-stable-labels', ingressTargets.problem);
  const egressTargets = targetsFor(ws.cluster, 'Egress', src, egressNeeds, intent.egress === 'always');
  if ('problem' in egressTargets) return failure('no-stable-labels', egressTargets.problem);
  for (const target of ingressTargets) writeRule(ws, edits, 'Ingress', target, src, ports, names);
  for (const target of egressTargets) writeRule(ws, edits, 'Egress', target, dst, ports, names);

  const fileEdits = edits.render();
  const verification = verifyEdits(ws, fileEdits, edits.touchedIds, edits.createdIds);
  if (verification.problems.length > 0) {
    return failure('not-verified', `the edit would introduce problems: ${verification.problems.join('; ')}`);
  }
  const shortfall = intentShortfall(verification.after, src, dst, ports);
  if (shortfall) return failure('not-verified', shortfall);
  const warnings: string[] = [];
  const unexpected = verification.removed.filter(
    (_, i) => !newlyIsolated.has(verification.removedPeers[i]!.src.id),
  );
  if (unexpected.length > 0) {
    return failure(
      'not-verified',
      `the edit would remove connections: ${unexpected.map((c) => `${c.src} -> ${c.dst} (${c.ports})`).join(', ')}`,
    );
  }
  for (const id of newlyIsolated) {
    const lost = verification.removed.filter((c) => c.src === id).length;
    warnings.push(
      `${id} was not egress-isolated: the new egress rule isolates it, so it loses ${plural(lost, 'connection')} (see removed); ` +
        'keep DNS with the default-deny-egress preset if it needs name resolution',
    );
  }

  const sideEffects = beyondIntent(verification.added, verification.addedPeers, src, dst, ports);
  const parts = fileEdits.flatMap((e) => e.changes);
  const summary = `Allow ${what}: ${parts.join('; ')}. ${edgeEffects('added', verification.added.length, sideEffects.length)}`;
  return planOk({
    edits: fileEdits,
    added: verification.added,
    removed: verification.removed,
    sideEffects,
    summary,
    warnings,
  });
}
