import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  NO_CONNECTIONS,
  parseProtocol,
  portRangeConnections,
  unionConnections,
} from './connectionSet.ts';
import type { CompiledPort, WorkloadPeer } from './model.ts';

/** The ports a rule admits towards `dst` (named ports resolved on its containers), or towards an address. */
export function rulePorts(
  rule: { readonly ports: readonly CompiledPort[] | undefined },
  dst: WorkloadPeer | undefined,
): ConnectionSet {
  if (!rule.ports) return ALL_CONNECTIONS;
  let out = NO_CONNECTIONS;
  for (const port of rule.ports) {
    if (port.kind === 'named') {
      // Named ports resolve only on a destination pod, by name and protocol together.
      for (const cp of dst?.ports ?? []) {
        if (cp.name !== port.name) continue;
        // Cluster policies name a port without a protocol: the container port's own counts.
        const protocol = port.anyProtocol
          ? parseProtocol(cp.protocol)
          : cp.protocol === port.protocol
            ? port.protocol
            : undefined;
        if (protocol)
          out = unionConnections(out, portRangeConnections(protocol, cp.containerPort, cp.containerPort));
      }
    } else {
      out = unionConnections(out, portRangeConnections(port.protocol, port.from, port.to));
    }
  }
  return out;
}
