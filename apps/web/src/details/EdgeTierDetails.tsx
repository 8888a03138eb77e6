import { useAdminDenied } from '../graphView/index.ts';
import type { AdminDenialsView, DecidingLayer, LayerDecisionView, TierRuleView } from '../model/index.ts';
import { selectEdge, selectHasClusterPolicies, useDerived } from '../store/index.ts';
import { SourceLink } from '../ui/index.ts';
import { useAnalysisQuery } from '../workspace/index.ts';

/** The selector of one edge of the Admin-denied overlay, by id. */
const selectDeniedEdge = (id: string) => (s: { result: AdminDenialsView | undefined }) =>
  s.result?.edges.find((e) => e.id === id);

const LAYER_NAME: Record<DecidingLayer, string> = {
  Admin: 'Admin tier',
  NetworkPolicy: 'NetworkPolicy',
  Baseline: 'Baseline tier',
  default: 'default (no tier decided)',
};

/** One cluster policy rule: policy, priority, rule index and name, action, with its YAML line. */
export function TierRule({ rule }: { rule: TierRuleView }) {
  return (
    <>
      <strong>{rule.policy}</strong> (priority {rule.priority}) {rule.direction.toLowerCase()} rule{' '}
      {rule.rule}
      {rule.ruleName ? ` “${rule.ruleName}”` : ''}: {rule.action} <SourceLink source={rule.source} />
    </>
  );
}

function Decisions({ title, decisions }: { title: string; decisions: LayerDecisionView[] }) {
  if (decisions.length === 0) return null;
  return (
    <>
      <h4>{title}</h4>
      <ul className="rule-list">
        {decisions.map((d) => (
          <li key={`${d.layer}/${d.rule?.policy ?? ''}/${d.rule?.rule ?? ''}/${d.conn}`}>
            <span className={`tier-name tier-${d.layer}`}>{LAYER_NAME[d.layer]}</span> → <code>{d.conn}</code>
            {d.rule && (
              <div>
                <TierRule rule={d.rule} />
              </div>
            )}
            {d.policies.length > 0 && <div>admitted by {d.policies.join(', ')}</div>}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * Which tier decided the selected edge, side by side, with the deciding rules; for an edge of the
 * Admin-denied overlay, the Deny rules. Nothing for an edge of a workspace without cluster policies.
 */
export function EdgeTierDetails({ id, source, target }: { id: string; source: string; target: string }) {
  const edge = useDerived(selectEdge(id));
  const tiered = useDerived(selectHasClusterPolicies);
  const denied = useAdminDenied(selectDeniedEdge(id));
  // A big workspace's edges carry no attribution: ask the worker for this one.
  const asked = useAnalysisQuery(
    'edgeTiers',
    edge && !edge.tiers && tiered ? { src: source, dst: target } : undefined,
    `${source}\n${target}`,
  );
  const tiers = edge?.tiers ?? asked.data?.result;
  if (denied?.adminDenied) {
    return (
      <section aria-label="Denied by the Admin tier" data-testid="edge.tiers">
        <p className="verdict denied">
          Denied by the Admin tier: <code>{denied.label}</code>
        </p>
        <ul className="rule-list">
          {denied.adminDenied.map((rule) => (
            <li key={`${rule.policy}/${rule.direction}/${rule.rule}`}>
              <TierRule rule={rule} />
            </li>
          ))}
        </ul>
      </section>
    );
  }
  if (!tiers) return null;
  const { decidedBy } = tiers;
  return (
    <section aria-label="Deciding tier" data-testid="edge.tiers">
      <p>
        Decided by:{' '}
        <strong className={`tier-name tier-${decidedBy}`} data-testid="edge.decidedBy">
          {LAYER_NAME[decidedBy]}
        </strong>
      </p>
      <Decisions title="Egress of the source" decisions={tiers.egress} />
      <Decisions title="Ingress of the destination" decisions={tiers.ingress} />
    </section>
  );
}
