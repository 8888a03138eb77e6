import type { PresetKind, PresetTargetRef } from '../model/index.ts';
import { DialogShell } from '../ui/index.ts';
import type { PlanJob } from '../workspace/index.ts';
import { PlanActions } from './PlanActions.tsx';
import { PlanPreview } from './PlanPreview.tsx';
import { usePlan } from './usePlan.ts';

/** What each preset does, in the words its dialog uses. */
export const PRESETS: Record<PresetKind, { title: string; explain: string }> = {
  'deny-ingress': {
    title: 'Default-deny ingress',
    explain: 'A policy with no ingress rules: only what other policies allow gets in.',
  },
  'deny-egress-keep-dns': {
    title: 'Default-deny egress, keeping DNS',
    explain:
      'A policy whose only egress rule allows kube-dns (kube-system, UDP and TCP 53): every other outgoing connection needs a policy.',
  },
  'allow-within-namespace': {
    title: 'Allow within the namespace',
    explain:
      'Pods of the namespace may reach each other; pods it newly isolates lose what other namespaces had.',
  },
};

function targetText(target: PresetTargetRef): string {
  return target.kind === 'namespace' ? `namespace ${target.name}` : target.id;
}

/** A preset for a namespace or a workload, previewed and verified like a drawn edge. */
export function PresetDialog({ preset, target }: { preset: PresetKind; target: PresetTargetRef }) {
  const job: PlanJob = { kind: 'preset', preset, target };
  const state = usePlan(job, JSON.stringify(job));
  const { title, explain } = PRESETS[preset];
  return (
    <DialogShell title={`${title}: ${targetText(target)}`} wide testId="authoring.preset">
      <p>{explain}</p>
      <PlanPreview state={state} idle="" />
      <PlanActions state={state} acceptLabel="Apply preset" />
    </DialogShell>
  );
}
