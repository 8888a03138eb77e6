import { rulePorts } from '../analyze.ts';
import { type ConnectionSet, containsPort, parseProtocol } from '../connectionSet.ts';
import type { CompiledPort, CompiledRule, WorkloadPeer } from '../model.ts';
import { plural } from '../plural.ts';
import {
  directionField,
  type FindingContext,
  listText,
  makeFinding,
  policyLocation,
  portPath,
  ruleKey,
  ruleName,
} from './context.ts';
import type { Finding } from './types.ts';

/** Ranges wider than this are read as "these ports, whatever listens", and left alone. */
const MAX_RANGE = 256;

/** A declared port as a one-port connection set's member test. */
function declares(w: WorkloadPeer, entry: ConnectionSet): boolean {
  return w.ports.some((p) => {
    const protocol = parseProtocol(p.protocol) ?? 'TCP';
    return containsPort(entry, protocol, p.containerPort);
  });
}

function entryText(p: CompiledPort): string {
  return p.from === p.to ? `${p.protocol} ${p.from}` : `${p.protocol} ${p.from}-${p.to}`;
}

/**
 * Ingress port entries that open a port none of the selected pods declares, though they declare
 * others (UDP 53 admitted to web servers, say): a copied rule, or a port left over from an earlier
 * version. Declarations are optional, so a policy is checked only when some pod it selects
 * declares ports (hostNetwork pods left out: policies may not apply to them); named ports are
 * the named-port rules' business, and `protocol` entries without a port admit everything on purpose.
 */
export function declaredPortFindings(ctx: FindingContext): Finding[] {
  if (!ctx.enforced) return [];
  const out: Finding[] = [];
  for (const policy of ctx.cluster.policies) {
    if (!policy.affectsIngress) continue;
    const selected = policy.selected.map((i) => ctx.cluster.workloads[i]!).filter((w) => !w.hostNetwork);
    // Inputs that declare no ports at all say nothing about what listens where.
    if (!selected.some((w) => w.ports.length > 0)) continue;
    for (const rule of policy.ingress) {
      for (const port of rule.ports ?? []) {
        // A wide range is a deliberate broad allow (the all-ports rule's business), not a port.
        if (port.kind !== 'range' || port.to - port.from + 1 > MAX_RANGE) continue;
        const entry = rulePorts({ ports: [port] }, undefined);
        if (selected.some((w) => declares(w, entry))) continue;
        out.push(finding(rule, port, selected));
      }
    }
  }
  return out;
}

function finding(rule: CompiledRule, port: CompiledPort, pods: readonly WorkloadPeer[]): Finding {
  const text = entryText(port);
  const declared = [
    ...new Set(
      pods.flatMap((w) => w.ports.map((p) => `${parseProtocol(p.protocol) ?? 'TCP'} ${p.containerPort}`)),
    ),
  ];
  const silent = pods.filter((w) => w.ports.length === 0).map((w) => w.id);
  return makeFinding('undeclared-port', {
    key: `${ruleKey(rule)}.ports[${port.index}]`,
    title:
      pods.length === 1
        ? `${ruleName(rule)} admits ${text}, which the selected workload does not declare`
        : `${ruleName(rule)} admits ${text}, which none of the ${plural(pods.length, 'selected workload')} declares`,
    message: `${ruleName(rule)} opens ${text} to ${listText(pods.map((w) => w.id))}, but ${pods.length === 1 ? 'none of its containers declares' : 'no container of them declares'} it (declared: ${listText(declared, 8)}${silent.length > 0 ? `; ${listText(silent, 3)} declare${silent.length === 1 ? 's' : ''} no ports` : ''}). Unless a container listens there without declaring it, the entry is copied or left over, and it admits whatever starts listening on that port later.`,
    subjects: [rule.policy.id, ...pods.map((w) => w.id)],
    namespaces: [rule.policy.namespace],
    locations: [policyLocation(rule.policy, portPath(rule, port.index))],
    fix: {
      description:
        (rule.ports?.length ?? 0) > 1
          ? `Delete ${directionField(rule)}[${rule.index}].ports[${port.index}] (${text}) from ${rule.policy.id}, or declare the port on the container that serves it.`
          : `Delete ${ruleName(rule)}: ${text} is its only port (emptying \`ports\` would admit every port), or declare the port on the container that serves it.`,
      suggestion: {
        kind: 'remove-port',
        policy: rule.policy.id,
        direction: rule.direction,
        rule: rule.index,
        port: port.index,
      },
    },
  });
}
