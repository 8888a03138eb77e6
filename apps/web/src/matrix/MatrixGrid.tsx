import { type KeyboardEvent, useEffect, useState } from 'react';
import type { MatrixCounts } from '../workspace/index.ts';
import { cellAt, exposure, exposureLevel, type MatrixCell, percentText } from './namespaceMatrix.ts';
import { useVirtualGrid } from './useVirtualGrid.ts';

const ROW_HEIGHT = 40;
/** A column's pitch: the cell's 52 px (see views.css) and the table's 2 px border spacing. */
const COLUMN_WIDTH = 54;
const SPACING = 2;

/** An empty cell standing for `width` px of columns not drawn (none for no width). */
function Spacer({ width, header }: { width: number; header?: boolean }) {
  if (width === 0) return null;
  const style = { width: width - SPACING, minWidth: width - SPACING, maxWidth: width - SPACING };
  return header ? (
    <th className="matrix-spacer" style={style} />
  ) : (
    <td className="matrix-spacer" style={style} />
  );
}

/** The next cell from (row, column) one step along (dRow, dColumn) that has pairs to pick, if any. */
function nextCell(
  matrix: MatrixCounts,
  row: number,
  column: number,
  dRow: number,
  dColumn: number,
): [number, number] | undefined {
  const n = matrix.groups.length;
  for (
    let i = row + dRow, j = column + dColumn;
    i >= 0 && i < n && j >= 0 && j < n;
    i += dRow, j += dColumn
  ) {
    if (cellAt(matrix, i, j).pairs > 0) return [i, j];
  }
  return undefined;
}

function cellLabel(cell: MatrixCell): string {
  if (cell.pairs === 0) return `${cell.from} to ${cell.to}: no workload pairs`;
  return `${cell.from} to ${cell.to}: ${cell.allowed} of ${cell.pairs} workload pairs allowed, ${percentText(exposure(cell))}`;
}

/** A picked cell, by its namespaces (they outlive a new matrix, where indices may not). */
export interface PickedCell {
  from: string;
  to: string;
}

/**
 * The matrix's grid: only the rows and columns in view are drawn (the table gives the full row
 * and column counts); arrow keys move between cells that have pairs, also to cells not drawn yet.
 * Mounted once the matrix is in, so its scroll container is there when it starts measuring.
 */
export function MatrixGrid({
  matrix,
  picked,
  onPick,
}: {
  matrix: MatrixCounts;
  picked: PickedCell | undefined;
  onPick: (cell: PickedCell | undefined) => void;
}) {
  const n = matrix.groups.length;
  const grid = useVirtualGrid<HTMLDivElement>(n, n, ROW_HEIGHT, COLUMN_WIDTH);
  const { ref } = grid;
  const { first, last, before, after } = grid.rows;
  const columns = grid.columns;
  // Arrow keys move between cells, also to cells not drawn yet: scroll there, focus once drawn.
  const [focusCell, setFocusCell] = useState<[number, number]>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the cell may be drawn only once the window moves
  useEffect(() => {
    if (!focusCell) return;
    const button = ref.current?.querySelector<HTMLButtonElement>(
      `[data-cell="${focusCell[0]}.${focusCell[1]}"]`,
    );
    if (button) {
      button.focus();
      setFocusCell(undefined);
    }
  }, [focusCell, ref, grid.rows.first, grid.columns.first]);
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    // Keys pressed faster than cells are drawn go on from the cell still to be focused.
    const at = focusCell ?? (e.target as HTMLElement).getAttribute('data-cell')?.split('.').map(Number);
    const step: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const direction = step[e.key];
    if (at?.length !== 2 || !direction) return;
    e.preventDefault();
    const to = nextCell(matrix, at[0]!, at[1]!, direction[0], direction[1]);
    if (!to) return;
    const scroller = ref.current;
    if (scroller) {
      // Clear of the sticky header row and row head column.
      const head = scroller.querySelector('thead')?.getBoundingClientRect().height ?? 0;
      const side = scroller.querySelector('.row-head')?.getBoundingClientRect().width ?? 0;
      const top = to[0] * ROW_HEIGHT;
      const left = to[1] * COLUMN_WIDTH;
      if (top < scroller.scrollTop) scroller.scrollTop = top;
      else if (top + ROW_HEIGHT + head > scroller.scrollTop + scroller.clientHeight)
        scroller.scrollTop = top + ROW_HEIGHT + head - scroller.clientHeight;
      if (left < scroller.scrollLeft) scroller.scrollLeft = left;
      else if (left + COLUMN_WIDTH + side > scroller.scrollLeft + scroller.clientWidth)
        scroller.scrollLeft = left + COLUMN_WIDTH + side - scroller.clientWidth;
    }
    setFocusCell(to);
  };
  const shownColumns = matrix.groups.slice(columns.first, columns.last);
  const drawnColumns = 1 + shownColumns.length + Number(columns.before > 0) + Number(columns.after > 0);
  return (
    <div className="table-scroll" ref={ref}>
      <table className="matrix-table" aria-rowcount={n + 1} aria-colcount={n + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className="corner" aria-colindex={1}>
              <span className="sr-only">from \ to</span>
              <span aria-hidden="true">from ↓ to →</span>
            </th>
            <Spacer width={columns.before} header />
            {shownColumns.map((g, k) => (
              <th
                key={g}
                scope="col"
                className="col-head"
                aria-colindex={columns.first + k + 2}
                title={`${g} (${matrix.sizes[columns.first + k]})`}
              >
                <span>{g}</span>
              </th>
            ))}
            <Spacer width={columns.after} header />
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {before > 0 && (
            <tr className="spacer" style={{ height: before }}>
              <td colSpan={drawnColumns} />
            </tr>
          )}
          {matrix.groups.slice(first, last).map((from, k) => {
            const i = first + k;
            return (
              <tr key={from} aria-rowindex={i + 2} style={{ height: ROW_HEIGHT }}>
                <th scope="row" className="row-head" aria-colindex={1} title={`${from} (${matrix.sizes[i]})`}>
                  {from}
                </th>
                <Spacer width={columns.before} />
                {shownColumns.map((to, k) => {
                  const j = columns.first + k;
                  const c = cellAt(matrix, i, j);
                  const share = exposure(c);
                  const isPicked = picked?.from === from && picked.to === to;
                  return (
                    <td
                      key={to}
                      aria-colindex={j + 2}
                      className={`exposure-${exposureLevel(share)} ${c.pairs === 0 ? 'no-pairs' : ''}`}
                    >
                      {c.pairs > 0 && (
                        <button
                          type="button"
                          className={`matrix-cell ${isPicked ? 'picked' : ''}`}
                          aria-pressed={isPicked}
                          title={cellLabel(c)}
                          data-testid={`matrix.cell.${from}.${to}`}
                          data-cell={`${i}.${j}`}
                          onClick={() => onPick(isPicked ? undefined : { from, to })}
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
                <Spacer width={columns.after} />
              </tr>
            );
          })}
          {after > 0 && (
            <tr className="spacer" style={{ height: after }}>
              <td colSpan={drawnColumns} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
