import { useId, useState } from 'react';
import type { WhatIfView as WhatIfResult } from '../model/types.ts';
import { NONE, useDerived } from '../store/derived.ts';
import { useWorkerQuery } from './useWorkerQuery.ts';

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function Openings({ title, list }: { title: string; list: WhatIfResult['withPodLabels'] }) {
  return (
    <>
      <h4>{title}</h4>
      {list.length === 0 ? (
        <p className="muted">No label set opens anything more.</p>
      ) : (
        <ul className="rule-list">
          {list.map((o) => (
            <li key={labelText(o.labels)}>
              add <code>{labelText(o.labels)}</code> → reaches{' '}
              {o.opens.map((t) => `${t.peer} (${t.conn})`).join('; ')}
              {o.loses.length > 0 && <span className="muted"> — but loses {o.loses.join(', ')}</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The attack the notes describe: what a compromised workload reaches, and with one more label. */
export function WhatIfView() {
  const nodes = useDerived((d) => d.analysis.model?.nodes ?? NONE);
  const [workload, setWorkload] = useState('');
  const listId = useId();
  const known = nodes.some((n) => n.id === workload && n.type === 'workload');
  const { reply, loading, error } = useWorkerQuery('whatIf', known ? { workload } : undefined, workload);
  const result = known ? reply?.result : undefined;
  return (
    <section aria-label="Compromised workload what-if" className="what-if">
      <h3>What if a workload were compromised?</h3>
      <label className="stacked">
        <span>Workload</span>
        <input
          list={listId}
          value={workload}
          onChange={(e) => setWorkload(e.target.value)}
          placeholder="ns/name[Kind]"
        />
      </label>
      <datalist id={listId}>
        {nodes
          .filter((n) => n.type === 'workload')
          .map((n) => (
            <option key={n.id} value={n.id} />
          ))}
      </datalist>
      {error && <p className="error">{error}</p>}
      {known && loading && !result && <p role="status">Working out what it could reach…</p>}
      {result && (
        <div data-testid="what-if">
          <h4>Reaches now ({result.reachesNow.length})</h4>
          <ul className="labels">
            {result.reachesNow.map((t) => (
              <li key={t.peer}>
                <code title={t.conn}>{t.peer}</code>
              </li>
            ))}
          </ul>
          <Openings title="If it could change its own pod labels" list={result.withPodLabels} />
          <Openings title="If it could label its namespace" list={result.withNamespaceLabels} />
          {result.notes.length > 0 && (
            <ul className="notes">
              {result.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
