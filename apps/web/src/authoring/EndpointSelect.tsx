import type { Endpoint } from './endpoints.ts';

const GROUPS: Endpoint['group'][] = ['Workloads', 'Namespaces', 'Address ranges'];

/** Picks a workload, a namespace or an address range (the keyboard way to draw an edge). */
export function EndpointSelect({
  label,
  value,
  endpoints,
  onChange,
}: {
  label: string;
  value: string;
  endpoints: readonly Endpoint[];
  onChange: (id: string) => void;
}) {
  return (
    <label className="stacked">
      <span>{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        {GROUPS.map((group) => (
          <optgroup key={group} label={group}>
            {endpoints
              .filter((e) => e.group === group)
              .map((e) => (
                <option key={e.id} value={e.id}>
                  {e.label}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
