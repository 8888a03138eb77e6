import { formatIPv4 } from '@netpol-atlas/evaluator';
import { useMemo, useState } from 'react';
import { ExplainView } from '../explain/index.ts';
import { type GraphEdge, nodeLabel, parseNodeId } from '../model/index.ts';
import { openDialogAction, useStore } from '../store/index.ts';
import { VirtualList } from '../ui/index.ts';
import './aggregatedEdge.css';

/** A peer's name in a row, without its kind: `ns/name` for a workload, `first-last` for a range. */
function shortId(id: string): string {
  const node = parseNodeId(id);
  if (node?.kind === 'workload') return `${node.namespace}/${node.name}`;
  if (node?.kind === 'external') return `${formatIPv4(node.first)}-${formatIPv4(node.last)}`;
  return id;
}

/**
 * An edge of a collapsed namespace stands for many connections: they are listed (sorted,
 * virtualised: a namespace pair of a big cluster has thousands), and each one can be explained.
 */
export function AggregatedEdgeDetails({
  source,
  target,
  pairs,
}: {
  source: string;
  target: string;
  /** The workload connections behind the edge (see pairsBehind). */
  pairs: readonly GraphEdge[];
}) {
  const openDialog = useStore(openDialogAction);
  const [chosen, setChosen] = useState<GraphEdge>();
  const [narrow, setNarrow] = useState('');
  const shown = useMemo(() => {
    const q = narrow.trim().toLowerCase();
    return q === '' ? pairs : pairs.filter((p) => p.id.toLowerCase().includes(q));
  }, [pairs, narrow]);
  return (
    <>
      <p data-testid="edge.pairs.count">
        {pairs.length === 0
          ? 'No connection is left behind this edge.'
          : `${pairs.length.toLocaleString('en')} connection${pairs.length === 1 ? '' : 's'} from ${nodeLabel(source)} to ${nodeLabel(target)}. Pick one to see why it is allowed.`}
      </p>
      {pairs.length > 10 && (
        <input
          type="search"
          aria-label="Filter these connections"
          placeholder="Filter by workload…"
          value={narrow}
          onChange={(e) => setNarrow(e.target.value)}
        />
      )}
      {shown.length < pairs.length && (
        <p className="muted" role="status">
          {shown.length.toLocaleString('en')} of {pairs.length.toLocaleString('en')} shown
        </p>
      )}
      <VirtualList
        items={shown}
        rowHeight={28}
        maxHeight={260}
        label="Connections behind this edge"
        itemKey={(p) => p.id}
        render={(p) => (
          <button
            type="button"
            className={`link edge-pair-row ${chosen?.id === p.id ? 'active' : ''}`}
            aria-pressed={chosen?.id === p.id}
            title={`${p.source} → ${p.target}: ${p.label}`}
            onClick={() => setChosen(p)}
          >
            {shortId(p.source)} → {shortId(p.target)} <span className="muted">{p.label}</span>
          </button>
        )}
      />
      {chosen && (
        <section aria-label="Chosen connection" className="chosen-pair">
          <h4>
            Why is <code>{shortId(chosen.source)}</code> → <code>{shortId(chosen.target)}</code> allowed?
          </h4>
          <ExplainView src={chosen.source} dst={chosen.target} />
          <button
            type="button"
            onClick={() => openDialog({ kind: 'remove', src: chosen.source, dst: chosen.target })}
          >
            Remove this workload connection…
          </button>
        </section>
      )}
    </>
  );
}
