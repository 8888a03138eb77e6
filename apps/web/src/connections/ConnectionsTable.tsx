import { type KeyboardEvent, useEffect, useMemo, useState } from 'react';
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
import { useVirtualRows } from '../ui/index.ts';
import {
  askConnections,
  type ConnectionColumn,
  type ConnectionSort,
  tableSourceOf,
  useWorkerQuery,
} from '../workspace/index.ts';
import { CONNECTION_COLUMNS, type ConnectionRow } from './connectionRows.ts';
import { ExportCsvButton } from './ExportCsvButton.tsx';
import { rowAt } from './tableRows.ts';

const ROW_HEIGHT = 30;
const NO_ROWS = new Int32Array(0);

function PolicyList({ ids }: { ids: readonly string[] }) {
  if (ids.length === 0) return <span className="muted">not isolated</span>;
  return <>{ids.join(', ')}</>;
}

/**
 * Every allowed connection the graph shows (its filters apply), as a sortable, filterable,
 * virtualised table: the graph's textual twin. A row selects its edge and explains it. The worker
 * sorts and searches (a big cluster has a million connections) and sends the rows' order; the
 * table shows the last order it sent, whose sort the headers announce, and builds row objects
 * only for the rows in view (it says how many there are). Arrow keys, Page Up/Down and
 * Ctrl+Home/End move between rows, scrolling to those not drawn yet.
 */
export function ConnectionsTable() {
  const model = useDerived(selectAnalysisModel);
  const filters = useStore(selectFilters);
  const selection = useStore(selectSelection);
  const select = useStore(selectAction);
  const showPanel = useStore(showPanelAction);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<ConnectionSort>({ column: 'source', direction: 'ascending' });
  const asked = useWorkerQuery(model ? () => askConnections(model, filters, sort, query) : undefined, [
    model,
    filters,
    sort,
    query,
  ]);
  // The rows shown and the order they are in: the last answer, until the next one arrives, with
  // the model its edge indices point into.
  const answer = asked.data?.order;
  const sides = asked.data?.sides;
  const source = asked.data && tableSourceOf(asked.data.model);
  const order = answer?.rows ?? NO_ROWS;
  const total = answer?.total ?? 0;
  const shownSort = answer?.sort ?? sort;
  const { ref, first, last, before, after } = useVirtualRows<HTMLDivElement>(order.length, ROW_HEIGHT);
  // Row objects only for the rows on screen.
  const rows = useMemo(
    () =>
      source && sides && answer
        ? Array.from(order.subarray(first, last), (edge) => rowAt(source, sides, edge))
        : [],
    [source, sides, answer, order, first, last],
  );
  const selectedId = selection?.kind === 'edge' ? selection.id : undefined;
  const explain = (row: ConnectionRow) => {
    select(edgeSelection(row));
    showPanel('details');
  };
  // Arrow keys move between rows, also to rows not rendered yet: scroll there, focus once drawn.
  const [focusRow, setFocusRow] = useState<number>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the row may be drawn only once the window moves
  useEffect(() => {
    if (focusRow === undefined) return;
    const button = ref.current?.querySelector<HTMLButtonElement>(
      `tr[aria-rowindex="${focusRow + 2}"] button`,
    );
    if (button) {
      button.focus();
      setFocusRow(undefined);
    }
  }, [focusRow, ref, first, last]);
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const current = (e.target as HTMLElement).closest('tr')?.getAttribute('aria-rowindex');
    if (!current || order.length === 0) return;
    // Keys pressed faster than rows are drawn go on from the row still to be focused.
    const at = focusRow ?? Number(current) - 2;
    const page = Math.max(1, Math.floor((ref.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const to =
      e.key === 'ArrowDown'
        ? at + 1
        : e.key === 'ArrowUp'
          ? at - 1
          : e.key === 'PageDown'
            ? at + page
            : e.key === 'PageUp'
              ? at - page
              : e.key === 'Home' && e.ctrlKey
                ? 0
                : e.key === 'End' && e.ctrlKey
                  ? order.length - 1
                  : undefined;
    if (to === undefined) return;
    e.preventDefault();
    const row = Math.max(0, Math.min(order.length - 1, to));
    const scroller = ref.current;
    if (scroller) {
      // Below the sticky header row, fully in view.
      const top = row * ROW_HEIGHT;
      const header = scroller.querySelector('thead')?.getBoundingClientRect().height ?? 0;
      if (top < scroller.scrollTop) scroller.scrollTop = top;
      else if (top + ROW_HEIGHT + header > scroller.scrollTop + scroller.clientHeight)
        scroller.scrollTop = top + ROW_HEIGHT + header - scroller.clientHeight;
    }
    setFocusRow(row);
  };
  const sortBy = (column: ConnectionColumn) =>
    setSort((s) => ({
      column,
      direction: s.column === column && s.direction === 'ascending' ? 'descending' : 'ascending',
    }));

  return (
    <section className="connections" aria-label="Connections">
      <div className="view-controls">
        <label className="field">
          <span>Filter</span>
          <input
            type="search"
            aria-label="Filter connections"
            placeholder="words in any column: store 8080"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        <span className="count" role="status" data-testid="connections.count">
          {!answer
            ? 'Listing connections…'
            : order.length === total
              ? `${total.toLocaleString('en')} connection${total === 1 ? '' : 's'}`
              : `${order.length.toLocaleString('en')} of ${total.toLocaleString('en')} connections`}
        </span>
        <ExportCsvButton
          model={asked.data?.model}
          filters={filters}
          sort={shownSort}
          query={answer?.query ?? query}
          ready={order.length > 0 && !asked.loading}
        />
      </div>
      <div className="table-scroll" ref={ref}>
        <table className="connections-table" aria-rowcount={order.length + 1}>
          <thead>
            <tr aria-rowindex={1}>
              {CONNECTION_COLUMNS.map((c) => (
                <th
                  key={c.id}
                  scope="col"
                  aria-sort={shownSort.column === c.id ? shownSort.direction : 'none'}
                  className={`col-${c.id}`}
                >
                  <button type="button" className="sort" onClick={() => sortBy(c.id)}>
                    {c.label}
                    <span aria-hidden="true">
                      {shownSort.column === c.id ? (shownSort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody onKeyDown={onKeyDown}>
            {before > 0 && (
              <tr className="spacer" style={{ height: before }}>
                <td colSpan={CONNECTION_COLUMNS.length} />
              </tr>
            )}
            {rows.map((row, i) => (
              // The Explain button is the keyboard path; a click anywhere on the row is a shortcut.
              <tr
                key={row.id}
                aria-rowindex={first + i + 2}
                aria-current={row.id === selectedId ? 'true' : undefined}
                className={row.id === selectedId ? 'selected' : ''}
                style={{ height: ROW_HEIGHT }}
                data-testid={`connections.row.${row.id}`}
                onClick={() => explain(row)}
              >
                <td title={row.source}>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Explain ${row.source} to ${row.target}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      explain(row);
                    }}
                  >
                    {row.source}
                  </button>
                </td>
                <td title={row.target}>{row.target}</td>
                <td title={row.connection}>{row.connection}</td>
                <td>
                  <PolicyList ids={row.egressPolicies} />
                </td>
                <td>
                  <PolicyList ids={row.ingressPolicies} />
                </td>
              </tr>
            ))}
            {after > 0 && (
              <tr className="spacer" style={{ height: after }}>
                <td colSpan={CONNECTION_COLUMNS.length} />
              </tr>
            )}
          </tbody>
        </table>
        {answer && order.length === 0 && (
          <p className="empty">
            {total === 0 ? 'No connection is allowed.' : 'No connection matches the filter.'}
          </p>
        )}
      </div>
    </section>
  );
}
