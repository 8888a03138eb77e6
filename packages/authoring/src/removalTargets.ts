// What a request to stop a connection is about, checked before any edit is planned: the two ends,
// the ports, and the peer pairs that carry the traffic now. Shared by the NetworkPolicy removal
// and the cluster-wide Deny, which differ only in what they write.

import { type ConnectionSet, intersectConnections, isEmptyConnections } from '@netpol-atlas/evaluator';
import { type Compiled, compile } from './compiled.ts';
import { checkPorts, type Ports, portsText } from './intent.ts';
import { definesNamedPort, type Endpoint, requestedConnections, resolveEndpoint } from './peers.ts';
import { failure } from './planResult.ts';
import type { Plan, PlanOptions, PlanSource, RemovalIntent } from './types.ts';
import { intentPairs, type PeerPair, pairConnections } from './verify.ts';

/** A peer pair the request names, with the part of its traffic to stop. */
export interface RemovalTarget {
  pair: PeerPair;
  requested: ConnectionSet;
}

/** A request that names traffic flowing now: what both planners start from. */
export interface RemovalScope {
  ws: Compiled;
  src: Endpoint;
  dst: Endpoint;
  ports: Ports;
  /** `src -> dst on ports`, for messages. */
  what: string;
  targets: RemovalTarget[];
}

/** How a planner words the refusals that depend on what it writes. */
export interface RemovalWording {
  /** Why traffic between two outside addresses cannot be stopped. */
  outside: string;
  /** Why a pod's traffic to itself cannot be stopped. */
  self: string;
  /** The verb of "nothing to …" when the traffic is not allowed now. */
  verb: string;
}

/** Resolves and checks a removal request; a failed plan says what is wrong with it. */
export function removalScope(
  source: PlanSource,
  intent: RemovalIntent,
  options: PlanOptions,
  wording: RemovalWording,
): RemovalScope | { failed: Plan } {
  const checked = checkPorts(intent.ports ?? 'all');
  if ('problem' in checked) return { failed: failure('invalid-input', checked.problem) };
  const { ports } = checked;
  const ws = compile(source, options);
  const src = resolveEndpoint(ws.cluster, intent.src);
  if ('reason' in src) return { failed: failure(src.reason, src.message) };
  const dst = resolveEndpoint(ws.cluster, intent.dst);
  if ('reason' in dst) return { failed: failure(dst.reason, dst.message) };
  if (src.kind === 'cidr' && dst.kind === 'cidr')
    return { failed: failure('invalid-input', wording.outside) };
  if (src.kind === 'workload' && dst.kind === 'workload' && src.workload.id === dst.workload.id) {
    return { failed: failure('cannot-remove', wording.self) };
  }
  for (const port of ports === 'all' ? [] : ports) {
    if (typeof port.port === 'string' && !dst.workloads.some((w) => definesNamedPort(w, port))) {
      return {
        failed: failure('unknown-port', `${dst.text} defines no ${port.protocol} port named ${port.port}`),
      };
    }
  }
  const what = `${src.text} -> ${dst.text} on ${portsText(ports)}`;
  const targets = intentPairs(ws, src, dst)
    .map((pair) => ({
      pair,
      requested: intersectConnections(
        pairConnections(ws, pair),
        requestedConnections(ports, pair.dstWorkload),
      ),
    }))
    .filter((t) => !isEmptyConnections(t.requested));
  if (targets.length === 0)
    return { failed: failure('not-allowed', `${what} is not allowed now: nothing to ${wording.verb}`) };
  return { ws, src, dst, ports, what, targets };
}
