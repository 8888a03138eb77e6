import { PlanFlowImpact } from '../flows/index.ts';
import { ChangeList } from './ChangeList.tsx';
import { FileDiffList } from './FileDiffList.tsx';
import type { PlanState } from './usePlan.ts';

/**
 * What a plan would do, as the evaluator verified it: the summary, every connection added and
 * removed (those beyond the request called out as side effects), warnings, the rules that admit
 * traffic being removed, and the YAML diff per file. A plan that cannot be made says why.
 */
export function PlanPreview({ state, idle }: { state: PlanState; idle: string }) {
  if (state.status === 'idle') return <p className="hint">{idle}</p>;
  if (state.status === 'planning') {
    return (
      <p role="status" className="hint">
        Planning and verifying with the evaluator…
      </p>
    );
  }
  if (state.status === 'failed') {
    return (
      <p role="alert" className="error" data-testid="plan.failure">
        The planner failed: {state.message}
      </p>
    );
  }
  const { plan } = state;
  if (!plan.ok) {
    return (
      <p role="alert" className="plan-failure" data-testid="plan.failure">
        {plan.message}
      </p>
    );
  }
  return (
    <section className="plan-preview" aria-label="Preview" data-testid="plan.preview">
      <p data-testid="plan.summary">{plan.summary}</p>
      {plan.warnings.length > 0 && (
        <ul className="plan-warnings" aria-label="Warnings">
          {plan.warnings.map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      )}
      {plan.admittedBy.length > 0 && (
        <section aria-label="Rules that admit it now">
          <h4>Rules that admit it now ({plan.admittedBy.length})</h4>
          <ul>
            {plan.admittedBy.map((r) => (
              <li key={`${r.policy}/${r.direction}/${r.rule}/${r.peer ?? ''}`}>
                <strong>{r.policy}</strong> {r.direction.toLowerCase()} rule {r.rule}
                {r.peer === undefined ? ' (any peer)' : `, peer ${r.peer}`}
                {r.ports.length > 0 ? `, port entries ${r.ports.join(', ')}` : ', any port'}
                {r.range ? ` (${r.file}:${r.range.start.line})` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      <ChangeList title="Connections added" changes={plan.added} testId="plan.added" empty="None." />
      <ChangeList title="Connections removed" changes={plan.removed} testId="plan.removed" empty="None." />
      <ChangeList
        title="Beyond what you asked (side effects)"
        changes={plan.sideEffects}
        testId="plan.side-effects"
        empty="None: the change does exactly what was asked."
      />
      <PlanFlowImpact edits={plan.edits} />
      <FileDiffList files={plan.edits} />
    </section>
  );
}
