// Writing what a tightened group still lacks once the broader rules are dropped: into the policy
// that selects exactly the group's labels, else into a new `<workload>-observed` policy.

import {
  type CompiledRule,
  type ConnectionSet,
  isEmptyConnections,
  NO_CONNECTIONS,
  unionConnections,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import { type Compiled, compile } from '../compiled.ts';
import type { PolicyEditSet } from '../editSet.ts';
import { covers, type Direction } from '../intent.ts';
import { deepEqual, isPlainObject } from '../json.ts';
import { entryConnections, portEntriesFor } from '../portSets.ts';
import { DNS_PEER, DNS_PORTS } from '../presets.ts';
import { addToRules, reusablePolicy } from '../ruleWrite.ts';
import type { FileEdit } from '../types.ts';
import type { DesiredEntry } from './observed.ts';
import { type KeptRule, uncoveredPorts } from './rules.ts';
import type { SubjectGroup } from './scope.ts';

export const DIRECTIONS: readonly Direction[] = ['Ingress', 'Egress'];

/** The policies that select a workload for a direction. */
export function policiesOf(ws: Compiled, w: WorkloadPeer, direction: Direction) {
  return (direction === 'Ingress' ? ws.cluster.ingressPolicies : ws.cluster.egressPolicies)[w.index]!;
}

/** A policy's rules for a direction. */
export function rulesOf(
  policy: { ingress: readonly CompiledRule[]; egress: readonly CompiledRule[] },
  direction: Direction,
): readonly CompiledRule[] {
  return direction === 'Ingress' ? policy.ingress : policy.egress;
}

/** True when a rule as written names exactly the kube-dns peer on (at least) UDP and TCP 53. */
function isDnsRule(raw: unknown): boolean {
  if (!isPlainObject(raw) || !Array.isArray(raw.to) || !raw.to.some((p) => deepEqual(p, DNS_PEER)))
    return false;
  if (!Array.isArray(raw.ports) || raw.ports.length === 0) return true;
  let conn: ConnectionSet = NO_CONNECTIONS;
  for (const entry of raw.ports) {
    const set = isPlainObject(entry) ? entryConnections(entry) : undefined;
    if (set) conn = unionConnections(conn, set);
  }
  return covers(conn, DNS_PORTS);
}

/** A fork of the workspace with the file edits in, compiled. */
export function forkWith(ws: Compiled, edits: readonly FileEdit[]): Compiled {
  const fork = ws.workspace.fork();
  fork.edit(edits.map((e) => ({ kind: 'set' as const, path: e.path, text: e.after })));
  return compile(fork);
}

/** The two stages' file edits as one: each file from its original text to its last stage's text. */
export function mergeStages(
  ws: Compiled,
  first: readonly FileEdit[],
  second: readonly FileEdit[],
): FileEdit[] {
  const original = new Map(ws.files.map((f) => [f.path, f.text]));
  const out = new Map<string, FileEdit>();
  for (const edit of [...first, ...second]) {
    const prior = out.get(edit.path);
    out.set(edit.path, {
      path: edit.path,
      before: original.get(edit.path),
      after: edit.after,
      changes: [...(prior?.changes ?? []), ...edit.changes],
    });
  }
  return [...out.values()];
}

/** How {@link writeGroup} reads what to write and what is in place. */
export interface GroupInputs {
  /** The entries the group should admit in a direction (observed, and DNS when kept). */
  wanted: (direction: Direction) => DesiredEntry[];
  /** The rules of the original workspace that stay, for a workload and direction. */
  keptRules: (w: WorkloadPeer, direction: Direction) => KeptRule[];
  /** No kube-dns workload: the DNS rule is judged by the rules as written. */
  dnsJudgedByText: boolean;
  keepDns: boolean;
}

/**
 * Adds, for one group, each wanted peer on the ports no kept rule admits yet: into the policy of
 * `cut` that selects exactly the group's labels for the direction, else a new policy, which is
 * also written when some member is not isolated for a direction yet (it isolates it).
 */
export function writeGroup(
  original: Compiled,
  cut: Compiled,
  edits: PolicyEditSet,
  group: SubjectGroup,
  inputs: GroupInputs,
): void {
  const newDirections: Direction[] = [];
  const newSpec: Record<string, unknown> = { podSelector: group.selector };
  for (const direction of DIRECTIONS) {
    const additions: { peer: Record<string, unknown>; ports: Record<string, unknown>[]; text: string }[] = [];
    for (const entry of inputs.wanted(direction)) {
      const dns = entry.peer === DNS_PEER;
      let missing = NO_CONNECTIONS;
      if (dns && inputs.dnsJudgedByText) {
        const present = group.members.every((v) =>
          inputs.keptRules(v, direction).some(({ policy, rule }) => {
            const raw = (policy.object.raw.spec as Record<string, unknown> | undefined)?.egress;
            return Array.isArray(raw) && isDnsRule(raw[rule.index]);
          }),
        );
        missing = present ? NO_CONNECTIONS : DNS_PORTS;
      } else {
        for (const v of group.members) {
          missing = unionConnections(
            missing,
            uncoveredPorts(entry, v, direction, inputs.keptRules(v, direction)),
          );
        }
      }
      if (!isEmptyConnections(missing)) {
        additions.push({
          peer: entry.peer,
          ports: portEntriesFor(missing),
          text: `${entry.text}, ${dns ? 'DNS kept' : 'observed'}`,
        });
      }
    }
    const isolatesAll = group.members.every((v) => policiesOf(original, v, direction).length > 0);
    if (additions.length === 0 && isolatesAll) continue;
    const home = reusablePolicy(cut.cluster, group, direction);
    if (home) {
      const spec = edits.spec(home.object);
      for (const a of additions) {
        edits.note(home.object, `${home.id}: ${addToRules(spec, direction, a.peer, a.ports)} (${a.text})`);
      }
      continue;
    }
    newDirections.push(direction);
    for (const a of additions) addToRules(newSpec, direction, a.peer, a.ports);
  }
  if (newDirections.length === 0) return;
  newSpec.policyTypes = newDirections;
  const what = newDirections.map((d) => d.toLowerCase()).join(' and ');
  edits.create(
    group.namespace,
    [group.label, 'observed', ...(newDirections.length === 1 ? [newDirections[0]!.toLowerCase()] : [])],
    newSpec,
    `Allows exactly the observed ${what} traffic of ${group.label}${inputs.keepDns && newDirections.includes('Egress') ? ', and DNS' : ''} (generated by netpol-atlas from observed flows).`,
  );
}
