import { useId } from 'react';
import type { Protocol } from '../model/types.ts';
import { NONE, useDerived } from '../store/derived.ts';
import { useStore } from '../store/store.ts';
import { ExplainView } from './ExplainView.tsx';

/** Pick a source, destination, protocol and port, and see why the connection is allowed or denied. */
export function QueryPanel() {
  const nodes = useDerived((d) => d.analysis.model?.nodes ?? NONE);
  const query = useStore((s) => s.view.query);
  const setQuery = useStore((s) => s.setQuery);
  const listId = useId();
  const ids = new Set(nodes.map((n) => n.id));
  const port = Number(query.port);
  const ready = ids.has(query.src) && ids.has(query.dst);
  const validPort = query.port === '' || (Number.isInteger(port) && port >= 1 && port <= 65535);
  return (
    <section aria-label="Explain a connection" className="query">
      <h3>Explain a connection</h3>
      <datalist id={listId}>
        {nodes.map((n) => (
          <option key={n.id} value={n.id} />
        ))}
      </datalist>
      <label className="stacked">
        <span>Source</span>
        <input
          list={listId}
          value={query.src}
          onChange={(e) => setQuery({ src: e.target.value })}
          placeholder="ns/name[Kind]"
        />
      </label>
      <label className="stacked">
        <span>Destination</span>
        <input
          list={listId}
          value={query.dst}
          onChange={(e) => setQuery({ dst: e.target.value })}
          placeholder="ns/name[Kind]"
        />
      </label>
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
      {ready && validPort ? (
        <ExplainView
          src={query.src}
          dst={query.dst}
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
