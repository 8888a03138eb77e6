import {
  type ConnectionSet,
  explainConnection,
  formatConnectionSet,
  intersectConnections,
  isEmptyConnections,
  PROTOCOLS,
  rulePorts,
} from '@netpol-atlas/evaluator';
import type { Compiled } from './compiled.ts';
import { PolicyEditSet } from './editSet.ts';
import { type Ports, portsText } from './intent.ts';
import { isolateOpenSubjects } from './isolate.ts';
import { type Endpoint, requestedConnections } from './peers.ts';
import { edgeEffects, failure, planOk } from './planResult.ts';
import { removalScope } from './removalTargets.ts';
import { analyseSide, cutRules } from './ruleCuts.ts';
import type { Change, FileEdit, Plan, PlanOptions, PlanSource, RemovalIntent, RuleRef } from './types.ts';
import {
  beyondIntent,
  intentPairs,
  type PeerPair,
  pairConnections,
  type Verification,
  verifyEdits,
} from './verify.ts';
import { alignLines } from './yamlText.ts';

function portCount(set: ConnectionSet): number {
  let n = 0;
  for (const protocol of PROTOCOLS) {
    const ranges = set[protocol];
    for (let i = 0; i < ranges.length; i += 2) n += ranges[i + 1]! - ranges[i]! + 1;
  }
  return n;
}

function changedLines(edits: readonly FileEdit[]): number {
  let n = 0;
  for (const edit of edits) {
    const before = (edit.before ?? '').split('\n');
    const after = edit.after.split('\n');
    const matched = alignLines(before, after, (x, y) => x === y)?.size ?? 0;
    n += before.length - matched + after.length - matched;
  }
  return n;
}

interface Candidate {
  edits: FileEdit[];
  verification: Verification;
  collateral: Change[];
  score: [number, number, number];
  warnings: string[];
}

/**
 * Plans the narrowest edit that stops `src` reaching `dst` (on `ports`, default every port). Lists
 * every rule that admits the traffic now (via `explainConnection`), then tries, on the
 * destination's ingress side and on the source's egress side, cutting each such rule as little as
 * possible: drop the port entries, else the peer entries, else the rule. A side that admits the
 * traffic because nothing isolates it gets a default-deny for that direction with explicit allows
 * for everything else. Every candidate is applied and re-evaluated; the one that removes the
 * fewest other connections wins, and those it does remove are listed as side effects.
 */
export function planRemoval(files: PlanSource, intent: RemovalIntent, options: PlanOptions = {}): Plan {
  const scope = removalScope(files, intent, options, {
    outside: 'both ends are outside the cluster: NetworkPolicy does not govern that traffic',
    self: 'a pod can always reach itself: NetworkPolicy cannot block that',
    verb: 'remove',
  });
  if ('failed' in scope) return scope.failed;
  const { ws, src, dst, ports, what, targets } = scope;

  const admittedBy = rulesAdmitting(ws, targets);
  const texts = { src: src.text, dst: dst.text, ports: portsText(ports) };
  const candidates: Candidate[] = [];
  const rejected: string[] = [];
  for (const direction of ['Ingress', 'Egress'] as const) {
    const side = analyseSide(ws, direction, targets);
    if (!side) continue;
    const seen = new Set<string>();
    for (const level of ['ports', 'peer', 'rule'] as const) {
      const edits = new PolicyEditSet(ws);
      const problem = isolateOpenSubjects(
        ws,
        edits,
        side,
        direction === 'Ingress' ? dst : src,
        direction === 'Ingress' ? src : dst,
        texts,
      );
      if (problem) {
        rejected.push(problem);
        break;
      }
      if (!cutRules(edits, side, level) || edits.isEmpty) continue;
      const fileEdits = edits.render();
      const key = JSON.stringify(fileEdits.map((e) => e.after));
      if (seen.has(key)) continue;
      seen.add(key);
      const candidate = evaluate(ws, edits, fileEdits, src, dst, ports);
      if ('problem' in candidate) rejected.push(`${direction} side (${level}): ${candidate.problem}`);
      else {
        if (side.open.size > 0) {
          candidate.warnings.push(
            `${[...side.open.keys()].join(', ')} admitted all ${direction.toLowerCase()} traffic; the new policy isolates ` +
              `${side.open.size === 1 ? 'it' : 'them'} and admits everything else explicitly`,
          );
        }
        candidates.push(candidate);
      }
    }
  }
  if (candidates.length === 0) {
    return failure(
      'cannot-remove',
      `no edit removes ${what} without other changes: ${rejected.join('; ') || 'no side can stop it'}`,
    );
  }
  const best = candidates.reduce((a, b) => (compareScores(b.score, a.score) < 0 ? b : a));
  const removed = best.verification.removed;
  const summary = `Remove ${what}: ${best.edits.flatMap((e) => e.changes).join('; ')}. ${edgeEffects('removed', removed.length, best.collateral.length)}`;
  return planOk({
    edits: best.edits,
    removed,
    sideEffects: best.collateral,
    summary,
    warnings: best.warnings,
    admittedBy,
  });
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function evaluate(
  ws: Compiled,
  edits: PolicyEditSet,
  fileEdits: FileEdit[],
  src: Endpoint,
  dst: Endpoint,
  ports: Ports,
): Candidate | { problem: string } {
  const verification = verifyEdits(ws, fileEdits, edits.touchedIds, edits.createdIds);
  if (verification.problems.length > 0) return { problem: verification.problems.join('; ') };
  if (verification.added.length > 0) {
    const c = verification.added[0]!;
    return { problem: `it would also add ${c.src} -> ${c.dst} (${c.ports})` };
  }
  for (const pair of intentPairs(verification.after, src, dst)) {
    const left = intersectConnections(
      pairConnections(verification.after, pair),
      requestedConnections(ports, pair.dstWorkload),
    );
    if (!isEmptyConnections(left)) {
      return { problem: `${pair.src.id} -> ${pair.dst.id} would still allow ${formatConnectionSet(left)}` };
    }
  }
  const collateral = beyondIntent(verification.removed, verification.removedPeers, src, dst, ports);
  const collateralPorts = collateral.reduce((sum, c) => sum + portCount(c.conn), 0);
  return {
    edits: fileEdits,
    verification,
    collateral,
    score: [collateral.length, collateralPorts, changedLines(fileEdits)],
    warnings: [],
  };
}

/** Every rule, on either side, that admits some of the traffic to remove. */
function rulesAdmitting(
  ws: Compiled,
  targets: readonly { pair: PeerPair; requested: ConnectionSet }[],
): RuleRef[] {
  const out = new Map<string, RuleRef>();
  for (const { pair, requested } of targets) {
    const explanation = explainConnection(ws.cluster, pair.src, pair.dst);
    for (const match of [...explanation.egress.allowedBy, ...explanation.ingress.allowedBy]) {
      if (isEmptyConnections(intersectConnections(match.conn, requested))) continue;
      const key = `${match.policy}|${match.direction}|${match.rule}|${match.peer ?? '*'}`;
      if (out.has(key)) continue;
      // explainConnection names the port entries admitting anything; keep those admitting what goes.
      const policy = ws.cluster.policies.find((p) => p.id === match.policy);
      const rule = policy?.[match.direction === 'Ingress' ? 'ingress' : 'egress'][match.rule];
      const ports = rule
        ? match.ports.filter((i) => {
            const entry = rule.ports?.filter((p) => p.index === i);
            const conn = rulePorts({ ...rule, ports: entry }, pair.dstWorkload);
            return !isEmptyConnections(intersectConnections(conn, requested));
          })
        : match.ports;
      out.set(key, {
        policy: match.policy,
        direction: match.direction,
        rule: match.rule,
        peer: match.peer,
        ports,
        file: match.file,
        range: match.range,
      });
    }
  }
  return [...out.values()];
}
