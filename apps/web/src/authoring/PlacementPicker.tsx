import type { Placement } from '@netpol-atlas/authoring';
import { useId } from 'react';

const CHOICES: { value: Placement; title: string; detail: string }[] = [
  {
    value: 'namespace',
    title: 'Namespace NetworkPolicy',
    detail: "rules in the namespaces' own policies, which their owners keep and can change.",
  },
  {
    value: 'admin',
    title: 'Cluster-wide, Admin tier (Accept)',
    detail:
      'a ClusterNetworkPolicy decided before every namespace NetworkPolicy, written on each side (the destination, the source) that blocks the connection now: no namespace policy there can block it.',
  },
  {
    value: 'baseline',
    title: 'Cluster-wide, Baseline tier (Accept)',
    detail:
      'a ClusterNetworkPolicy default, used only for pods no namespace NetworkPolicy selects: a namespace can still override it with its own policy.',
  },
];

/** Where an allow rule goes: namespace NetworkPolicies, or a ClusterNetworkPolicy in a tier; and its priority. */
export function PlacementPicker({
  value,
  onChange,
  priority,
  onPriority,
}: {
  value: Placement;
  onChange: (placement: Placement) => void;
  priority: string;
  onPriority: (text: string) => void;
}) {
  const name = useId();
  return (
    <fieldset data-testid="connect.placement">
      <legend>Where the rule goes</legend>
      {CHOICES.map((c) => (
        <label key={c.value} className="inline">
          <input type="radio" name={name} checked={value === c.value} onChange={() => onChange(c.value)} />
          <span>
            <strong>{c.title}</strong>: {c.detail}
          </span>
        </label>
      ))}
      {value !== 'namespace' && (
        <label className="stacked indented">
          <span>Priority (0–1000, a lower number is decided first; leave empty for the suggested one)</span>
          <input
            inputMode="numeric"
            value={priority}
            onChange={(e) => onPriority(e.target.value)}
            placeholder="suggested"
            spellCheck={false}
          />
        </label>
      )}
    </fieldset>
  );
}
