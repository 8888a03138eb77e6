import type { PortForm } from '@netpol-atlas/authoring';
import { ParsedInput } from './ParsedInput.tsx';

const PROTOCOLS: PortForm['protocol'][] = ['TCP', 'UDP', 'SCTP'];

function parsePort(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^\d+$/.test(t) ? Number(t) : t;
}

function parseEnd(text: string): number | undefined {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : undefined;
}

const formatPort = (p: number | string | undefined) => (p === undefined ? '' : String(p));

/** A rule's `ports`: protocol, port (number, name, or empty for all) and an optional range end. */
export function PortRowsEditor({
  label,
  ports,
  onChange,
}: {
  label: string;
  ports: readonly PortForm[];
  onChange: (ports: PortForm[]) => void;
}) {
  const update = (i: number, patch: Partial<PortForm>) =>
    onChange(ports.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <fieldset className="ports-editor">
      <legend>{label}</legend>
      {ports.length === 0 && <p className="muted">No ports listed: every port and protocol.</p>}
      {ports.map((p, i) => (
        <div className="kv-row" key={`port-${i.toString()}`}>
          <select
            aria-label={`${label}: protocol of port ${i + 1}`}
            value={p.protocol}
            onChange={(e) => update(i, { protocol: e.target.value as PortForm['protocol'] })}
          >
            {PROTOCOLS.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
          <ParsedInput
            aria-label={`${label}: port ${i + 1} (number or name; empty for all)`}
            placeholder="all"
            value={p.port}
            format={formatPort}
            parse={parsePort}
            onValue={(port) => update(i, { port })}
          />
          <ParsedInput
            aria-label={`${label}: end of the range of port ${i + 1}`}
            placeholder="to (optional)"
            value={p.endPort}
            format={formatPort}
            parse={parseEnd}
            onValue={(endPort) => update(i, { endPort })}
          />
          <button
            type="button"
            className="icon-button"
            aria-label={`${label}: remove port ${i + 1}`}
            onClick={() => onChange(ports.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      <div className="button-group small">
        <button
          type="button"
          onClick={() => onChange([...ports, { protocol: 'TCP', port: undefined, endPort: undefined }])}
        >
          + Port
        </button>
      </div>
    </fieldset>
  );
}
