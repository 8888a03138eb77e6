import type { ExplainSide, ExplainTierChain, ExplainTierDecision } from '../model/index.ts';
import { SourceLink } from '../ui/index.ts';

const ACTION_VERB: Record<ExplainTierDecision['action'], string> = {
  Accept: 'accepts',
  Deny: 'denies',
  Pass: 'passes on',
};

const PASSED_OVER_REASON: Record<ExplainTierChain['passedOver'][number]['reason'], string> = {
  peer: 'no rule names the other end',
  ports: 'its rules name the other end, on other ports',
  decided: 'what its rules match was decided earlier',
  'no-rules': 'no rules in this direction',
};

function Decision({ d }: { d: ExplainTierDecision }) {
  return (
    <li className={`tier-decision action-${d.action}`} data-testid="explain.tier.decision">
      <strong>{d.policy}</strong> (priority {d.priority}) rule {d.rule}
      {d.ruleName ? ` “${d.ruleName}”` : ''} {ACTION_VERB[d.action]} <code>{d.conn}</code>{' '}
      <SourceLink source={d.source} />
      {d.tiedWith.length > 0 && (
        <div className="caveat">
          ⚠ same priority as {d.tiedWith.join(', ')}: which applies first is implementation-defined
        </div>
      )}
    </li>
  );
}

function TierStep({
  tier,
  decisions,
  idle,
}: {
  tier: 'Admin' | 'Baseline';
  decisions: ExplainTierDecision[];
  idle: string;
}) {
  return (
    <li aria-label={`${tier} tier`}>
      <span className={`tier-name tier-${tier}`}>{tier} tier</span>
      {decisions.length === 0 ? (
        <span className="muted"> · {idle}</span>
      ) : (
        <ul className="rule-list">
          {decisions.map((d) => (
            <Decision key={`${d.policy}/${d.rule}/${d.conn}`} d={d} />
          ))}
        </ul>
      )}
    </li>
  );
}

/**
 * One side's layered decision, in the order the layers run: the Admin tier's deciding rules
 * (Accept, Deny, Pass), what reached the NetworkPolicy layer and whether it isolates the pod, the
 * Baseline tier's rules, what fell through to the default; then the cluster policies that select
 * the pod but were passed over, and why. Every rule links to its YAML.
 */
export function TierChainView({ side, chain }: { side: ExplainSide; chain: ExplainTierChain }) {
  const admin = chain.decisions.filter((d) => d.tier === 'Admin');
  const baseline = chain.decisions.filter((d) => d.tier === 'Baseline');
  const reached = chain.networkPolicyReached !== 'No Connections';
  return (
    <div className="tier-chain" data-testid={`explain.tiers.${side.direction}`}>
      <ol>
        <TierStep tier="Admin" decisions={admin} idle="no rule matched: on to NetworkPolicy" />
        <li aria-label="NetworkPolicy layer">
          <span className="tier-name tier-NetworkPolicy">NetworkPolicy</span>{' '}
          {!reached ? (
            <span className="muted">· not reached: the Admin tier decided everything</span>
          ) : chain.networkPolicyIsolates ? (
            <span>
              · decides <code>{chain.networkPolicyReached}</code>
              {side.allowedBy.length === 0 ? ': no rule admits it' : ''}
            </span>
          ) : (
            <span className="muted">
              · no NetworkPolicy isolates {side.subject}: <code>{chain.networkPolicyReached}</code> goes on to
              the Baseline tier
            </span>
          )}
        </li>
        <TierStep
          tier="Baseline"
          decisions={baseline}
          idle={
            chain.networkPolicyIsolates && reached ? 'not reached: NetworkPolicy decided' : 'no rule matched'
          }
        />
        {chain.defaulted !== 'No Connections' && (
          <li aria-label="Default">
            <span className="tier-name">Default</span> · <code>{chain.defaulted}</code> allowed (no layer
            decided it)
          </li>
        )}
      </ol>
      {chain.passedOver.length > 0 && (
        <details>
          <summary>
            {chain.passedOver.length} cluster polic{chain.passedOver.length === 1 ? 'y' : 'ies'} passed over
          </summary>
          <ul className="rule-list">
            {chain.passedOver.map((p) => (
              <li key={p.policy}>
                <strong>{p.policy}</strong> ({p.tier}, priority {p.priority}): {PASSED_OVER_REASON[p.reason]}{' '}
                <SourceLink source={p.source} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
