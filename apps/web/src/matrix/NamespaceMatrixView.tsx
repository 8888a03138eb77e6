import { useMemo, useState } from 'react';
import { filterGraph } from '../graph/index.ts';
import type { GraphEdge } from '../model/index.ts';
import {
  selectAction,
  selectAnalysisModel,
  selectFilters,
  selectSelection,
  showPanelAction,
  useDerived,
  useStore,
} from '../store/index.ts';
import { useVirtualRows, VirtualList } from '../ui/index.ts';
import {
  cellConnections,
  EXPOSURE_LEVELS,
  exposure,
  exposureLevel,
  type MatrixCell,
  namespaceMatrix,
  percentText,
} from './namespaceMatrix.ts';

const ROW_HEIGHT = 40;

function cellLabel(cell: MatrixCell): string {
  if (cell.pairs === 0) return `${cell.from} to ${cell.to}: no workload pairs`;
  return `${cell.from} to ${cell.to}: ${cell.allowed} of ${cell.pairs} workload pairs allowed, ${percentText(exposure(cell))}`;
}

function Legend() {
  return (
    <ul className="matrix-legend" aria-label="Exposure legend">
      <li className="muted">Share of workload pairs allowed:</li>
      {EXPOSURE_LEVELS.map((l) => (
        <li key={l.level}>
          <span className={`matrix-swatch exposure-${l.level}`} aria-hidden="true" />
          {l.label}
        </li>
      ))}
    </ul>
  );
}

function CellPairs({ cell, edges, onClose }: { cell: MatrixCell; edges: GraphEdge[]; onClose: () => void }) {
  const select = useStore(selectAction);
  const showPanel = useStore(showPanelAction);
  const selection = useStore(selectSelection);
  return (
    <section className="matrix-pairs" aria-label={`Connections from ${cell.from} to ${cell.to}`}>
      <header>
        <h3>
          {cell.from} → {cell.to}: {cell.allowed} of {cell.pairs} pairs ({percentText(exposure(cell))})
        </h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      {edges.length === 0 ? (
        <p className="empty">
          No workload of {cell.from} may connect to one of {cell.to}.
        </p>
      ) : (
        <VirtualList
          items={edges}
          rowHeight={30}
          maxHeight={220}
          label="Workload pairs"
          itemKey={(e) => e.id}
          render={(e) => (
            <div
              className={`pair-row ${selection?.kind === 'edge' && selection.id === e.id ? 'selected' : ''}`}
            >
              <button
                type="button"
                className="link"
                onClick={() => {
                  select({ kind: 'edge', id: e.id, source: e.source, target: e.target });
                  showPanel('details');
                }}
              >
                <span className="sr-only">Explain </span>
                {e.source} → {e.target}
              </button>
              <span className="muted">{e.label}</span>
            </div>
          )}
        />
      )}
    </section>
  );
}

/**
 * Namespace × namespace overview: how many workload pairs may connect, out of how many there are,
 * coloured by that share (with the numbers written in every cell). A cell lists its pairs, each
 * explainable. The graph's filters apply.
 */
export function NamespaceMatrixView() {
  const model = useDerived(selectAnalysisModel);
  const filters = useStore(selectFilters);
  const filtered = useMemo(() => (model ? filterGraph(model, filters) : undefined), [model, filters]);
  const matrix = useMemo(
    () => (filtered ? namespaceMatrix(filtered.nodes, filtered.edges) : undefined),
    [filtered],
  );
  const [picked, setPicked] = useState<{ from: string; to: string }>();
  const n = matrix?.groups.length ?? 0;
  const { ref, first, last, before, after } = useVirtualRows<HTMLDivElement>(n, ROW_HEIGHT);
  // A pick from before the documents changed may name a namespace that is gone.
  const row = picked ? (matrix?.groups.indexOf(picked.from) ?? -1) : -1;
  const column = picked ? (matrix?.groups.indexOf(picked.to) ?? -1) : -1;
  const cell = matrix && row >= 0 && column >= 0 ? matrix.cells[row * n + column] : undefined;
  const pairs = useMemo(
    () => (filtered && cell ? cellConnections(filtered.nodes, filtered.edges, cell.from, cell.to) : []),
    [filtered, cell],
  );
  if (!matrix) return <p role="status">Analysing…</p>;
  return (
    <section className="matrix" aria-label="Namespace matrix">
      <div className="view-controls">
        <p className="muted">
          Rows are sources, columns destinations. Each cell: workload pairs allowed / pairs there are, and the
          share.
        </p>
        <Legend />
      </div>
      <div className="table-scroll" ref={ref}>
        <table className="matrix-table" aria-rowcount={n + 1}>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col" className="corner">
                <span className="sr-only">from \ to</span>
                <span aria-hidden="true">from ↓ to →</span>
              </th>
              {matrix.groups.map((g, j) => (
                <th key={g} scope="col" className="col-head" title={`${g} (${matrix.sizes[j]})`}>
                  <span>{g}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {before > 0 && (
              <tr className="spacer" style={{ height: before }}>
                <td colSpan={n + 1} />
              </tr>
            )}
            {matrix.groups.slice(first, last).map((from, k) => {
              const i = first + k;
              return (
                <tr key={from} aria-rowindex={i + 2} style={{ height: ROW_HEIGHT }}>
                  <th scope="row" className="row-head" title={`${from} (${matrix.sizes[i]})`}>
                    {from}
                  </th>
                  {matrix.groups.map((to, j) => {
                    const c = matrix.cells[i * n + j]!;
                    const share = exposure(c);
                    const isPicked = picked?.from === from && picked.to === to;
                    return (
                      <td
                        key={to}
                        className={`exposure-${exposureLevel(share)} ${c.pairs === 0 ? 'no-pairs' : ''}`}
                      >
                        {c.pairs > 0 && (
                          <button
                            type="button"
                            className={`matrix-cell ${isPicked ? 'picked' : ''}`}
                            aria-pressed={isPicked}
                            title={cellLabel(c)}
                            data-testid={`matrix.cell.${from}.${to}`}
                            onClick={() => setPicked(isPicked ? undefined : { from, to })}
                          >
                            {/* The visible numbers are part of the name, so speech and sight agree. */}
                            <span className="sr-only">
                              {from} to {to}:{' '}
                            </span>
                            <span className="matrix-count">{c.allowed}</span>
                            <span className="sr-only"> of {c.pairs} workload pairs allowed, </span>
                            <span className="matrix-share">{percentText(share)}</span>
                          </button>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
            {after > 0 && (
              <tr className="spacer" style={{ height: after }}>
                <td colSpan={n + 1} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {cell && <CellPairs cell={cell} edges={pairs} onClose={() => setPicked(undefined)} />}
    </section>
  );
}
