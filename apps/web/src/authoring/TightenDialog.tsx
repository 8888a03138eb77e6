import type { Plan, TightenPlan } from '@netpol-atlas/authoring';
import { useState } from 'react';
import { useObservedConnections } from '../flows/index.ts';
import type { PresetTargetRef } from '../model/index.ts';
import { DialogShell } from '../ui/index.ts';
import type { PlanJob } from '../workspace/index.ts';
import { PlanActions } from './PlanActions.tsx';
import { PlanPreview } from './PlanPreview.tsx';
import { TightenPreview } from './TightenPreview.tsx';
import { usePlan } from './usePlan.ts';

/** A plan the worker made for a tighten job carries its preview beside the plan. */
function isTightenPlan(plan: Plan): plan is Extract<TightenPlan, { ok: true }> {
  return plan.ok && 'tighten' in plan;
}

function targetText(target: PresetTargetRef): string {
  return target.kind === 'namespace' ? `namespace ${target.name}` : target.id;
}

/**
 * Tighten a namespace or a workload to the imported flows: the policies that allow exactly the
 * observed connections (both directions, DNS kept by choice), previewed and verified like a drawn
 * edge. A change that would deny observed traffic needs the user's explicit consent.
 */
export function TightenDialog({ target }: { target: PresetTargetRef }) {
  const imported = useObservedConnections();
  const [keepDns, setKeepDns] = useState(true);
  const [accepted, setAccepted] = useState(false);
  const scope = target.kind === 'namespace' ? { kind: 'namespace' as const, name: target.name } : target;
  const job: PlanJob | undefined = imported
    ? { kind: 'tighten', scope, observed: imported.observed, keepDns }
    : undefined;
  // The observed list is long: the job is keyed by what it is made of instead.
  const state = usePlan(job, JSON.stringify([scope, keepDns, imported?.name, imported?.revision]));
  const plan = state.status === 'ready' && isTightenPlan(state.plan) ? state.plan : undefined;
  const denied = plan?.tighten.denied.length ?? 0;
  return (
    <DialogShell title={`Tighten to observed traffic: ${targetText(target)}`} wide testId="authoring.tighten">
      {imported ? (
        <p>
          The policies that allow exactly what <code>{imported.name}</code> observed for {targetText(target)},
          ingress and egress: broader rules are replaced, and the evaluator checks the result.
        </p>
      ) : (
        <p role="alert" data-testid="tighten.no-flows">
          No flows imported: use “Import flows…” first, then tighten to what they observed.
        </p>
      )}
      <label className="checkbox">
        <input type="checkbox" checked={keepDns} onChange={(e) => setKeepDns(e.target.checked)} />
        Keep DNS egress (kube-dns, UDP and TCP 53)
      </label>
      {plan && <TightenPreview report={plan.tighten} />}
      {plan && plan.edits.length === 0 && (
        <p className="hint" data-testid="tighten.nothing">
          Nothing to change: the policies already allow exactly what was observed.
        </p>
      )}
      <PlanPreview state={state} idle="" />
      {denied > 0 && (
        <label className="checkbox" data-testid="tighten.accept-denied">
          <input type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} />
          Accept {denied} denied observed {denied === 1 ? 'flow' : 'flows'}
        </label>
      )}
      <PlanActions state={state} acceptLabel="Apply" blocked={denied > 0 && !accepted} />
    </DialogShell>
  );
}
