import { useId } from 'react';
import type { GraphNode, Protocol } from '../model/index.ts';
import { PeerCombobox, type PeerResolution, resolvePeer } from '../search/index.ts';
import { selectNodes, selectQuery, setQueryAction, useDerived, useStore } from '../store/index.ts';
import { ExplainView } from './ExplainView.tsx';

/** What is wrong with a typed peer (or how it was read), with the peers it could mean as buttons. */
function PeerProblem({
  id,
  resolution,
  onPick,
}: {
  id: string;
  resolution: PeerResolution;
  onPick: (id: string) => void;
}) {
  if (resolution.ok) {
    return resolution.note ? (
      <p id={id} className="hint peer-problem">
        {resolution.note}
      </p>
    ) : null;
  }
  if (resolution.code === 'empty') return null;
  return (
    <div id={id} className="peer-problem" role="alert">
      <p className="error">{resolution.message}</p>
      {resolution.candidates.length > 0 && (
        <>
          <span className="muted">{resolution.code === 'ambiguous' ? 'Candidates:' : 'Did you mean:'}</span>
          <ul>
            {resolution.candidates.map((c) => (
              <li key={c}>
                <button type="button" className="link" onClick={() => onPick(c)}>
                  {c}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function PeerField({
  label,
  value,
  nodes,
  onChange,
}: {
  label: string;
  value: string;
  nodes: readonly GraphNode[];
  onChange: (value: string) => void;
}) {
  const problemId = useId();
  const resolution = resolvePeer(nodes, value);
  const shown = resolution.ok ? resolution.note !== undefined : resolution.code !== 'empty';
  return (
    <PeerCombobox
      label={label}
      value={value}
      nodes={nodes}
      placeholder="ns/name, name, ns/name[Kind] or an IP/CIDR"
      onChange={onChange}
      describedBy={shown ? problemId : undefined}
      invalid={!resolution.ok && resolution.code !== 'empty'}
    >
      <PeerProblem id={problemId} resolution={resolution} onPick={onChange} />
    </PeerCombobox>
  );
}

/** Pick a source, destination, protocol and port, and see why the connection is allowed or denied. */
export function QueryPanel() {
  const nodes = useDerived(selectNodes);
  const query = useStore(selectQuery);
  const setQuery = useStore(setQueryAction);
  const src = resolvePeer(nodes, query.src);
  const dst = resolvePeer(nodes, query.dst);
  const port = Number(query.port);
  const validPort = query.port === '' || (Number.isInteger(port) && port >= 1 && port <= 65535);
  return (
    <section aria-label="Explain a connection" className="query">
      <h3>Explain a connection</h3>
      <PeerField label="Source" value={query.src} nodes={nodes} onChange={(v) => setQuery({ src: v })} />
      <PeerField label="Destination" value={query.dst} nodes={nodes} onChange={(v) => setQuery({ dst: v })} />
      <div className="row">
        <label className="stacked">
          <span>Protocol</span>
          <select value={query.protocol} onChange={(e) => setQuery({ protocol: e.target.value as Protocol })}>
            <option>TCP</option>
            <option>UDP</option>
            <option>SCTP</option>
          </select>
        </label>
        <label className="stacked">
          <span>Port</span>
          <input
            type="number"
            min={1}
            max={65535}
            placeholder="any"
            value={query.port}
            aria-invalid={!validPort}
            onChange={(e) => setQuery({ port: e.target.value })}
          />
        </label>
      </div>
      {!validPort && <p className="error">The port must be a number from 1 to 65535.</p>}
      {src.ok && dst.ok && validPort ? (
        <ExplainView
          src={src.id}
          dst={dst.id}
          query={query.port === '' ? undefined : { protocol: query.protocol, port }}
        />
      ) : (
        <p className="hint">
          Pick two peers (or click an edge in the graph) to see the verdict and the rules behind it.
        </p>
      )}
    </section>
  );
}
