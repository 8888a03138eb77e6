import { useId } from 'react';
import type { PortSuggestion } from './portSpec.ts';

/** The port choice of a connection being drawn. */
export interface PortsForm {
  mode: 'all' | 'specific';
  ticked: ReadonlySet<string>;
  byName: boolean;
  more: string;
}

/** Every suggested port ticked; all ports when the destination suggests none and is not a range. */
export function defaultPortsForm(
  suggestions: readonly PortSuggestion[],
  destinationIsRange: boolean,
): PortsForm {
  return {
    mode: suggestions.length > 0 || destinationIsRange ? 'specific' : 'all',
    ticked: new Set(suggestions.map((s) => s.key)),
    byName: false,
    more: '',
  };
}

/** Ports and protocols: the destination's container ports to tick, others to type, or all. */
export function PortsPicker({
  suggestions,
  value,
  onChange,
  error,
}: {
  suggestions: readonly PortSuggestion[];
  value: PortsForm;
  onChange: (value: PortsForm) => void;
  error: string | undefined;
}) {
  const name = useId();
  const named = suggestions.some((s) => s.name !== undefined);
  const toggle = (key: string, on: boolean) => {
    const ticked = new Set(value.ticked);
    if (on) ticked.add(key);
    else ticked.delete(key);
    onChange({ ...value, ticked });
  };
  return (
    <fieldset className="ports-picker">
      <legend>Ports and protocols</legend>
      <label className="inline">
        <input
          type="radio"
          name={name}
          checked={value.mode === 'specific'}
          onChange={() => onChange({ ...value, mode: 'specific' })}
        />
        Specific ports
      </label>
      {value.mode === 'specific' && (
        <div className="indented">
          {suggestions.length > 0 && <p className="muted">The destination's containers declare:</p>}
          {suggestions.map((s) => (
            <label key={s.key} className="inline">
              <input
                type="checkbox"
                checked={value.ticked.has(s.key)}
                onChange={(e) => toggle(s.key, e.target.checked)}
              />
              {s.label}
            </label>
          ))}
          {named && (
            <label className="inline">
              <input
                type="checkbox"
                checked={value.byName}
                onChange={(e) => onChange({ ...value, byName: e.target.checked })}
              />
              Refer to named ports by name (the rule follows the container if its number changes)
            </label>
          )}
          <label className="stacked">
            <span>
              {suggestions.length > 0 ? 'Other ports' : 'Ports'} (e.g. TCP 443, UDP 53, 8000-8080, http)
            </span>
            <input
              value={value.more}
              onChange={(e) => onChange({ ...value, more: e.target.value })}
              aria-invalid={error !== undefined}
              spellCheck={false}
            />
          </label>
        </div>
      )}
      <label className="inline">
        <input
          type="radio"
          name={name}
          checked={value.mode === 'all'}
          onChange={() => onChange({ ...value, mode: 'all' })}
        />
        All ports and protocols
      </label>
      {error && (
        <p className="error" aria-live="polite">
          {error}
        </p>
      )}
    </fieldset>
  );
}
