import type { GraphNode } from '../model/index.ts';

/** Ingress/egress isolation at a glance; "open" when no policy selects the workload at all. */
export function IsolationBadges({ node }: { node: GraphNode }) {
  const tiers = node.clusterTiers;
  if (!node.ingressIsolated && !node.egressIsolated && tiers && (tiers.ingress || tiers.egress)) {
    // No NetworkPolicy, but cluster-wide tiers decide some of its traffic: not "unprotected".
    const sides = [tiers.ingress ? 'ingress' : '', tiers.egress ? 'egress' : '']
      .filter(Boolean)
      .join(' and ');
    return (
      <span
        className="badge badge-tier"
        title={`No NetworkPolicy selects this workload; cluster-wide policies (Admin or Baseline tier) decide its ${sides}`}
      >
        tiers only
      </span>
    );
  }
  if (!node.ingressIsolated && !node.egressIsolated) {
    return (
      <span
        className="badge badge-open"
        title="No NetworkPolicy selects this workload: all traffic in and out is allowed"
      >
        unprotected
      </span>
    );
  }
  return (
    <>
      <span
        className={`badge ${node.ingressIsolated ? 'badge-on' : 'badge-off'}`}
        title={
          node.ingressIsolated
            ? 'Ingress isolated: only traffic its policies admit gets in'
            : 'Ingress open: no policy selects it for ingress'
        }
      >
        in {node.ingressIsolated ? '✓' : '✗'}
      </span>
      <span
        className={`badge ${node.egressIsolated ? 'badge-on' : 'badge-off'}`}
        title={
          node.egressIsolated
            ? 'Egress isolated: only traffic its policies admit gets out'
            : 'Egress open: no policy selects it for egress'
        }
      >
        out {node.egressIsolated ? '✓' : '✗'}
      </span>
    </>
  );
}
