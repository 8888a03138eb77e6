import { useId, useState } from 'react';
import type { WhatIfChange, WhatIfOpening, WhatIfView as WhatIfResult } from '../model/index.ts';
import { selectNamespaces, selectNodes, useDerived } from '../store/index.ts';
import { useAnalysisQuery } from '../workspace/index.ts';

type Labels = Readonly<Record<string, string>>;

/** `change app=demo-db → app=demo`, `remove app=demo-db`, `add access=vault`: what a reviewer would type. */
function changeText(change: WhatIfChange, current: Labels): string {
  const parts = Object.entries(change.labels).map(([k, v]) =>
    Object.hasOwn(current, k) ? `change ${k}=${current[k]} → ${k}=${v}` : `add ${k}=${v}`,
  );
  for (const k of change.remove) {
    parts.push(Object.hasOwn(current, k) ? `remove ${k}=${current[k]}` : `remove ${k}`);
  }
  return parts.join(', ');
}

function alternativeText(change: WhatIfChange): string {
  return [
    ...Object.entries(change.labels).map(([k, v]) => `${k}=${v}`),
    ...change.remove.map((k) => `no ${k}`),
  ].join(', ');
}

/** The peers one change gains in one direction, one per line with the connections gained. */
function Peers({ arrow, label, list }: { arrow: string; label: string; list: WhatIfOpening['opens'] }) {
  if (list.length === 0) return null;
  return (
    <>
      <div>
        {arrow} {label}:
      </div>
      <ul aria-label={label} className="what-if-peers">
        {list.map((t) => (
          <li key={t.peer}>
            <code>{t.peer}</code> <span className="muted">{t.conn}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

function Opening({ o, current }: { o: WhatIfOpening; current: Labels }) {
  const text = changeText(o, current);
  return (
    <li data-testid="what-if.change">
      <strong>{text}</strong>
      {o.alternatives.length > 0 && (
        <span className="muted"> (same with {o.alternatives.map(alternativeText).join(', ')})</span>
      )}
      {(o.leaves.length > 0 || o.enters.length > 0) && (
        <div className="muted">
          {o.leaves.length > 0 && `leaves ${o.leaves.join(', ')}`}
          {o.leaves.length > 0 && o.enters.length > 0 && ' · '}
          {o.enters.length > 0 && `enters ${o.enters.join(', ')}`}
        </div>
      )}
      <Peers arrow="→" label="reaches (egress)" list={o.opens} />
      <Peers arrow="←" label="reachable from (ingress)" list={o.exposes} />
      {o.loses.length > 0 && <div className="muted">but loses {o.loses.join(', ')}</div>}
    </li>
  );
}

function Openings({ title, list, current }: { title: string; list: WhatIfOpening[]; current: Labels }) {
  return (
    <>
      <h4>{title}</h4>
      {list.length === 0 ? (
        <p className="muted">No label change opens anything more.</p>
      ) : (
        <ul className="rule-list">
          {list.map((o) => (
            <Opening key={changeText(o, current)} o={o} current={current} />
          ))}
        </ul>
      )}
    </>
  );
}

/** `6` when the search was complete, `64 (bound reached, 12 not tried)` when its bound stopped it. */
function searchText(s: WhatIfResult['search']['pod']): string {
  return s.untried > 0 ? `${s.evaluated} (bound reached, ${s.untried} not tried)` : String(s.evaluated);
}

function PeerList({ title, list }: { title: string; list: WhatIfResult['reachesNow'] }) {
  return (
    <>
      <h4>
        {title} ({list.length})
      </h4>
      {list.length === 0 ? (
        <p className="muted">Nothing.</p>
      ) : (
        <ul className="labels">
          {list.map((t) => (
            <li key={t.peer}>
              <code title={t.conn}>{t.peer}</code>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * The attack the notes describe: what a compromised workload reaches and what reaches it, and
 * what changing its own labels or its namespace's would give it, in each direction.
 */
export function WhatIfView() {
  const nodes = useDerived(selectNodes);
  const namespaces = useDerived(selectNamespaces);
  const [workload, setWorkload] = useState('');
  const listId = useId();
  const node = nodes.find((n) => n.id === workload && n.type === 'workload');
  const known = node !== undefined;
  const {
    data: reply,
    loading,
    error,
  } = useAnalysisQuery('whatIf', known ? { workload } : undefined, workload);
  const result = known ? reply?.result : undefined;
  const podLabels: Labels = node?.labels ?? {};
  const namespaceLabels: Labels = namespaces.find((ns) => ns.name === node?.namespace)?.labels ?? {};
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
          <PeerList title="Reaches now" list={result.reachesNow} />
          <PeerList title="Reached by now" list={result.reachedByNow} />
          <Openings
            title="If it could change its own pod labels"
            list={result.withPodLabels}
            current={podLabels}
          />
          <Openings
            title="If it could change its namespace's labels"
            list={result.withNamespaceLabels}
            current={namespaceLabels}
          />
          <p className="muted" data-testid="what-if.search">
            Label changes tried: {searchText(result.search.pod)} on its pods,{' '}
            {searchText(result.search.namespace)} on its namespace.
          </p>
          {result.notes.length > 0 && (
            <ul className="notes" data-testid="what-if.notes">
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
