import type { GraphNode } from '../model/index.ts';

/** Ingress/egress isolation at a glance; "open" when no policy selects the workload at all. */
export function IsolationBadges({ node }: { node: GraphNode }) {
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
