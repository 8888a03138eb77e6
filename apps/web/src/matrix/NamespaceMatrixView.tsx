import { useMemo, useState } from 'react';
import {
  edgeSelection,
  selectAction,
  selectAnalysisModel,
  selectFilters,
  selectSelection,
  showPanelAction,
  useDerived,
  useStore,
} from '../store/index.ts';
import { VirtualList } from '../ui/index.ts';
import { askMatrix, tableSourceOf, useWorkerQuery } from '../workspace/index.ts';
import './matrix.css';
import { MatrixGrid, type PickedCell } from './MatrixGrid.tsx';
import {
  type CellPair,
  cellAt,
  cellPairs,
  EXPOSURE_LEVELS,
  exposure,
  type MatrixCell,
  percentText,
} from './namespaceMatrix.ts';

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

function CellPairs({ cell, edges, onClose }: { cell: MatrixCell; edges: CellPair[]; onClose: () => void }) {
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
                  select(edgeSelection(e));
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
 * explainable. The graph's filters apply. The worker counts (a big cluster has a million
 * connections) and sends the counts with each cell's connections; only the rows and columns in
 * view are drawn (the table gives the full row and column counts); arrow keys move between cells
 * that have pairs.
 */
export function NamespaceMatrixView() {
  const model = useDerived(selectAnalysisModel);
  const filters = useStore(selectFilters);
  const asked = useWorkerQuery(
    model ? () => askMatrix(model, filters).then((matrix) => matrix && { model, matrix }) : undefined,
    [model, filters],
  );
  // The last answer, with the model its edge indices point into.
  const matrix = asked.data?.matrix;
  const shownModel = asked.data?.model;
  const [picked, setPicked] = useState<PickedCell>();
  // A pick from before the documents changed may name a namespace that is gone.
  const row = picked ? (matrix?.groups.indexOf(picked.from) ?? -1) : -1;
  const column = picked ? (matrix?.groups.indexOf(picked.to) ?? -1) : -1;
  const cell = matrix && row >= 0 && column >= 0 ? cellAt(matrix, row, column) : undefined;
  const pairs = useMemo(
    () =>
      shownModel && matrix && row >= 0 && column >= 0
        ? cellPairs(tableSourceOf(shownModel), matrix, row, column)
        : [],
    [shownModel, matrix, row, column],
  );
  return (
    <section className="matrix" aria-label="Namespace matrix">
      <div className="view-controls">
        <p className="muted">
          Rows are sources, columns destinations. Each cell: workload pairs allowed / pairs there are, and the
          share.
        </p>
        <Legend />
      </div>
      {matrix ? (
        <MatrixGrid matrix={matrix} picked={picked} onPick={setPicked} />
      ) : (
        <p role="status">Analysing…</p>
      )}
      {cell && <CellPairs cell={cell} edges={pairs} onClose={() => setPicked(undefined)} />}
    </section>
  );
}
