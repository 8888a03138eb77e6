import { rulePorts } from '../analyze.ts';
import {
  isAllConnections,
  isEmptyConnections,
  MAX_PORT,
  MIN_PORT,
  portRangeConnections,
  subtractConnections,
} from '../connectionSet.ts';
import { subtractIntervals } from '../intervals.ts';
import type { Cluster, CompiledPeer, CompiledRule } from '../model.ts';
import type { CompiledSelector } from '../selectors.ts';

/**
 * Conservative, structural containment of rules of ONE policy and direction: `true` only when
 * every connection `inner` admits is admitted by `outer` for any possible pod and namespace
 * labels (except that a podSelector-only peer's namespace is compared by its current labels).
 * `false` may still hide a containment the structure does not show (e.g. `In (a)` inside `In (a,b)`).
 */
export function ruleContains(cluster: Cluster, outer: CompiledRule, inner: CompiledRule): boolean {
  return peersContain(cluster, outer, inner) && portsContain(outer, inner);
}

function requirements(selector: CompiledSelector): Set<string> {
  return new Set(selector.matchesAll ? [] : selector.key.split(' && '));
}

/** Every object `inner` matches, `outer` matches: `outer`'s requirements are a subset of `inner`'s. */
function selectorContains(outer: CompiledSelector | undefined, inner: CompiledSelector | undefined): boolean {
  if (!outer || outer.matchesAll) return true;
  if (!inner) return false;
  const have = requirements(inner);
  return [...requirements(outer)].every((r) => have.has(r));
}

function peerContains(
  cluster: Cluster,
  rule: CompiledRule,
  outer: CompiledPeer,
  inner: CompiledPeer,
): boolean {
  if (outer.kind === 'ipBlock' || inner.kind === 'ipBlock') {
    if (outer.kind !== 'ipBlock' || inner.kind !== 'ipBlock') return false;
    if (outer.ipv4 && inner.ipv4) return subtractIntervals(inner.ipv4, outer.ipv4).length === 0;
    const a = outer.ipBlock!;
    const b = inner.ipBlock!;
    return a.cidr === b.cidr && a.except.join(',') === b.except.join(',');
  }
  if (!selectorContains(outer.podSelector, inner.podSelector)) return false;
  if (!outer.namespaceSelector) return !inner.namespaceSelector;
  if (!inner.namespaceSelector) {
    // A podSelector-only peer means the policy's own namespace.
    const labels = cluster.namespaces.get(rule.policy.namespace)?.labels ?? {};
    return outer.namespaceSelector.matches(labels);
  }
  return selectorContains(outer.namespaceSelector, inner.namespaceSelector);
}

function peersContain(cluster: Cluster, outer: CompiledRule, inner: CompiledRule): boolean {
  if (!outer.peers) return true;
  if (!inner.peers) return false;
  return inner.peers.every((i) => outer.peers!.some((o) => peerContains(cluster, outer, o, i)));
}

function portsContain(outer: CompiledRule, inner: CompiledRule): boolean {
  if (!outer.ports) return true;
  const outerNumbers = rulePorts(outer, undefined);
  if (!inner.ports) return isAllConnections(outerNumbers);
  return inner.ports.every((port) => {
    if (port.kind === 'named') {
      const full = portRangeConnections(port.protocol, MIN_PORT, MAX_PORT);
      return (
        outer.ports!.some(
          (o) => o.kind === 'named' && o.name === port.name && o.protocol === port.protocol,
        ) || isEmptyConnections(subtractConnections(full, outerNumbers))
      );
    }
    return isEmptyConnections(
      subtractConnections(portRangeConnections(port.protocol, port.from, port.to), outerNumbers),
    );
  });
}
