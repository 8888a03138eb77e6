import { NO_CONNECTIONS, plural, type WorkloadPeer } from '@netpol-atlas/evaluator';
import { compile } from '../compiled.ts';
import { PolicyEditSet } from '../editSet.ts';
import type { Direction } from '../intent.ts';
import { failure, planOk } from '../planResult.ts';
import { DNS_PEER, DNS_PORTS, isKubeDns } from '../presets.ts';
import { cutRules, type RuleHit } from '../ruleCuts.ts';
import type { PlanSource } from '../types.ts';
import { verifyEdits } from '../verify.ts';
import { judge } from './judge.ts';
import {
  type Allowance,
  allowanceOf,
  type DesiredEntry,
  desiredEntries,
  placeObservations,
} from './observed.ts';
import { type KeptRule, ruleExceeds } from './rules.ts';
import { resolveScope, type SubjectGroup } from './scope.ts';
import type { ObservedConnection, TightenOptions, TightenPlan, TightenScope } from './types.ts';
import { DIRECTIONS, forkWith, mergeStages, policiesOf, rulesOf, writeGroup } from './write.ts';

/**
 * Plans the policies that allow a namespace's or a workload's pods exactly their observed
 * connections, in both directions (with `keepDns`, egress to kube-dns on UDP and TCP 53 too).
 * Existing rules of the scope that admit anything unobserved are dropped; the observed traffic
 * they no longer admit is written, peer by peer with the workloads' stable labels (or the
 * observed addresses as the fewest exact CIDRs), into the policy that selects exactly the
 * workload's labels, else a new `<workload>-observed` policy. Rules in policies that also
 * select pods outside the scope are left alone, with a warning.
 *
 * The edit is verified on a fork of the workspace: the preview's lists (observed connections
 * kept or denied, connections removed, what stays allowed beyond the observations and why, the
 * Admin-tier decisions NetworkPolicy cannot change) are all the fork's answers. A plan that would
 * deny observed traffic is `acceptanceRequired` unless `acceptDenied` is set. A scope that is
 * already tight gets a plan with no edits.
 */
export function planTighten(
  source: PlanSource,
  scope: TightenScope,
  observed: readonly ObservedConnection[],
  options: TightenOptions = {},
): TightenPlan {
  const keepDns = options.keepDns === true;
  const ws = compile(source, options);
  const resolved = resolveScope(ws.cluster, scope);
  if ('ok' in resolved) return resolved;
  const { groups, subjects } = resolved;
  const warnings = new Set<string>(resolved.warnings);
  const { relevant, ignored } = placeObservations(ws.cluster, resolved, observed);

  const entries = new Map<SubjectGroup, Record<Direction, DesiredEntry[]>>();
  for (const group of groups) {
    entries.set(group, {
      Ingress: desiredEntries(ws.cluster, group, 'Ingress', relevant, warnings),
      Egress: desiredEntries(ws.cluster, group, 'Egress', relevant, warnings),
    });
  }
  const subjectWorkloads = ws.cluster.workloads.filter((w) => subjects.has(w.index));
  const allowances = new Map<number, Record<Direction, Allowance>>();
  for (const v of subjectWorkloads) {
    const mine = groups.filter((g) => g.members.includes(v));
    const of = (d: Direction) =>
      allowanceOf(
        ws.cluster,
        mine.flatMap((g) => entries.get(g)![d]),
        d,
        keepDns,
      );
    allowances.set(v.index, { Ingress: of('Ingress'), Egress: of('Egress') });
  }

  // Rules that admit more than was observed go, where the policy holds only the scope's pods.
  const edits = new PolicyEditSet(ws);
  const dropped = new Set<number>();
  for (const direction of DIRECTIONS) {
    const hits = new Map<number, RuleHit>();
    for (const v of subjectWorkloads) {
      for (const policy of policiesOf(ws, v, direction)) {
        for (const rule of rulesOf(policy, direction)) {
          if (
            hits.has(rule.id) ||
            !ruleExceeds(ws.cluster, rule, v, direction, allowances.get(v.index)![direction])
          )
            continue;
          const outside = policy.selected
            .filter((i) => !subjects.has(i))
            .map((i) => ws.cluster.workloads[i]!.id);
          if (outside.length > 0) {
            warnings.add(
              `${policy.id} ${direction.toLowerCase()} rule ${rule.index} admits unobserved traffic of ${v.id}, but the policy also selects ${outside.join(', ')} outside the scope: left as it is`,
            );
            continue;
          }
          hits.set(rule.id, { policy, rule, peers: 'all', requested: NO_CONNECTIONS, destinations: [] });
        }
      }
    }
    for (const id of hits.keys()) dropped.add(id);
    if (hits.size > 0) cutRules(edits, { direction, hits: [...hits.values()], open: new Map() }, 'rule');
  }
  const keptRules = (v: WorkloadPeer, direction: Direction): KeptRule[] =>
    policiesOf(ws, v, direction).flatMap((policy) =>
      rulesOf(policy, direction)
        .filter((rule) => !dropped.has(rule.id))
        .map((rule) => ({ policy, rule })),
    );

  const dnsWorkloads = ws.cluster.workloads.filter(isKubeDns);
  if (keepDns && dnsWorkloads.length === 0) {
    warnings.add('no kube-dns workload in the files: the DNS rule is written but could not be exercised');
  }
  // Drops first, on their own: written in one pass, a new rule would take the place (and the
  // comment) of a dropped one, so the additions are planned on a fork that has the drops.
  const cuts = edits.render();
  const cut = cuts.length === 0 ? ws : forkWith(ws, cuts);
  const additions = new PolicyEditSet(cut);
  for (const group of groups) {
    writeGroup(ws, cut, additions, group, {
      wanted: (direction) => [
        ...entries.get(group)![direction],
        ...(keepDns && direction === 'Egress'
          ? [
              {
                peer: DNS_PEER,
                conn: DNS_PORTS,
                workloads: dnsWorkloads,
                ranges: undefined,
                text: 'kube-dns',
              },
            ]
          : []),
      ],
      keptRules,
      dnsJudgedByText: dnsWorkloads.length === 0,
      keepDns,
    });
  }
  const fileEdits = mergeStages(ws, cuts, additions.render());
  const touched = [...new Set([...edits.touchedIds, ...additions.touchedIds])];
  const verification = verifyEdits(ws, fileEdits, touched, additions.createdIds);
  if (verification.problems.length > 0) {
    return failure('not-verified', `the edit would introduce problems: ${verification.problems.join('; ')}`);
  }
  const subjectIds = new Set(subjectWorkloads.map((w) => w.id));
  const judged = judge(ws, verification.after, subjectIds, relevant, keepDns);
  // An observed connection the edit newly denies is a bug of the planner when NetworkPolicy of the
  // scope could have allowed it: the verification reports it rather than hide it.
  const acceptanceRequired = judged.denied.length > 0 && options.acceptDenied !== true;
  for (const t of judged.tierDecided) {
    warnings.add(
      `${t.src} -> ${t.dst} (${t.ports}): ${t.policy} in the Admin tier ${t.action === 'deny' ? 'denies' : 'allows'} it on ${t.side}; NetworkPolicy cannot change that`,
    );
  }
  const beyondKeys = new Set(judged.beyond.map((b) => `${b.src}|${b.dst}`));
  const sideEffects = verification.added.filter((c) => beyondKeys.has(`${c.src}|${c.dst}`));
  const counts =
    `keeps ${plural(judged.kept.length, 'observed connection')}, removes ${plural(verification.removed.length, 'unobserved connection')}` +
    (judged.denied.length > 0
      ? `, and would deny ${plural(judged.denied.length, 'observed connection')}`
      : '');
  const summary =
    fileEdits.length === 0
      ? `${resolved.text} is already tight: its policies allow what was observed (${counts}).`
      : `Tighten ${resolved.text} to observed traffic: ${fileEdits.flatMap((e) => e.changes).join('; ')}. It ${counts}.`;
  return {
    ...planOk({
      edits: fileEdits,
      added: verification.added,
      removed: verification.removed,
      sideEffects,
      summary,
      warnings: [...warnings],
    }),
    tighten: {
      subjects: subjectWorkloads.map((w) => w.id),
      kept: judged.kept,
      removed: verification.removed,
      denied: judged.denied,
      beyond: judged.beyond,
      tierDecided: judged.tierDecided,
      ignored,
      acceptanceRequired,
    },
  };
}
