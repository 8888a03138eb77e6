import { rulePorts } from '../analyze.ts';
import { ALL_CONNECTIONS, type ConnectionSet, NO_CONNECTIONS, unionConnections } from '../connectionSet.ts';
import { tierRuleSelects } from '../explainTiers.ts';
import type { Cluster, Direction, WorkloadPeer } from '../model.ts';
import { decideSide, tiersEmpty } from '../tiers.ts';

/**
 * What one side of a workload pair admits: for `Ingress` what `subject` accepts from `other`, for
 * `Egress` what it may send to `other`. The NetworkPolicy rules selecting `subject` that admit the
 * other end (named ports resolved on the destination), run through the cluster tiers by the
 * evaluator's `decideSide`: the `conn` of explainConnection's side, without the explanation.
 * Answers are kept per pair, so a rule module can ask freely.
 */
export class SideAdmits {
  private readonly cache = new Map<string, ConnectionSet>();

  constructor(private readonly cluster: Cluster) {}

  of(direction: Direction, subject: WorkloadPeer, other: WorkloadPeer): ConnectionSet {
    const key = `${direction[0]}${subject.index}:${other.index}`;
    let conn = this.cache.get(key);
    if (!conn) {
      conn = this.compute(direction, subject, other);
      this.cache.set(key, conn);
    }
    return conn;
  }

  private compute(direction: Direction, subject: WorkloadPeer, other: WorkloadPeer): ConnectionSet {
    const ingress = direction === 'Ingress';
    const dst = ingress ? subject : other;
    const policies = (ingress ? this.cluster.ingressPolicies : this.cluster.egressPolicies)[subject.index]!;
    const tiers = (ingress ? this.cluster.ingressTiers : this.cluster.egressTiers)[subject.index]!;
    const networkPolicy = () => {
      let out = NO_CONNECTIONS;
      for (const policy of policies) {
        for (const rule of ingress ? policy.ingress : policy.egress) {
          if (rule.peers && !rule.peers.some((p) => p.members[other.index] === 1)) continue;
          out = unionConnections(out, rulePorts(rule, dst));
        }
      }
      return out;
    };
    if (tiersEmpty(tiers)) return policies.length === 0 ? ALL_CONNECTIONS : networkPolicy();
    return decideSide(tiers, policies.length > 0 ? networkPolicy : undefined, {
      matches: (rule) => tierRuleSelects(rule, other),
      ports: (rule) => rulePorts(rule, dst),
    });
  }
}
