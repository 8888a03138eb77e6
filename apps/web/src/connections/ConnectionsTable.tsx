import { useMemo, useState } from 'react';
import { filterGraph } from '../graph/index.ts';
import {
  selectAction,
  selectAnalysisModel,
  selectFilters,
  selectSelection,
  showPanelAction,
  useDerived,
  useStore,
} from '../store/index.ts';
import { downloadFile, useVirtualRows } from '../ui/index.ts';
import {
  CONNECTION_COLUMNS,
  type ConnectionColumn,
  type ConnectionRow,
  connectionRows,
  connectionsCsv,
  filterConnectionRows,
  type SortDirection,
  sortConnectionRows,
} from './connectionRows.ts';

const ROW_HEIGHT = 30;

function PolicyList({ ids }: { ids: readonly string[] }) {
  if (ids.length === 0) return <span className="muted">not isolated</span>;
  return <>{ids.join(', ')}</>;
}

/**
 * Every allowed connection the graph shows (its filters apply), as a sortable, filterable,
 * virtualised table: the graph's textual twin. A row selects its edge and explains it.
 */
export function ConnectionsTable() {
  const model = useDerived(selectAnalysisModel);
  const filters = useStore(selectFilters);
  const selection = useStore(selectSelection);
  const select = useStore(selectAction);
  const showPanel = useStore(showPanelAction);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<{ column: ConnectionColumn; direction: SortDirection }>({
    column: 'source',
    direction: 'ascending',
  });
  const all = useMemo(
    () => (model ? connectionRows(model, filterGraph(model, filters).edges) : []),
    [model, filters],
  );
  // Sorted once per order; typing only filters the sorted list (filtering keeps the order).
  const sorted = useMemo(() => sortConnectionRows(all, sort.column, sort.direction), [all, sort]);
  const rows = useMemo(() => filterConnectionRows(sorted, query), [sorted, query]);
  const { ref, first, last, before, after } = useVirtualRows<HTMLDivElement>(rows.length, ROW_HEIGHT);
  const selectedId = selection?.kind === 'edge' ? selection.id : undefined;
  const explain = (row: ConnectionRow) => {
    select({ kind: 'edge', id: row.id, source: row.source, target: row.target });
    showPanel('details');
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
          {rows.length === all.length
            ? `${all.length.toLocaleString('en')} connection${all.length === 1 ? '' : 's'}`
            : `${rows.length.toLocaleString('en')} of ${all.length.toLocaleString('en')} connections`}
        </span>
        <button
          type="button"
          disabled={rows.length === 0}
          onClick={() => downloadFile('connections.csv', connectionsCsv(rows), 'text/csv')}
        >
          Export CSV
        </button>
      </div>
      <div className="table-scroll" ref={ref}>
        <table className="connections-table" aria-rowcount={rows.length + 1}>
          <thead>
            <tr aria-rowindex={1}>
              {CONNECTION_COLUMNS.map((c) => (
                <th
                  key={c.id}
                  scope="col"
                  aria-sort={sort.column === c.id ? sort.direction : 'none'}
                  className={`col-${c.id}`}
                >
                  <button type="button" className="sort" onClick={() => sortBy(c.id)}>
                    {c.label}
                    <span aria-hidden="true">
                      {sort.column === c.id ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {before > 0 && (
              <tr className="spacer" style={{ height: before }}>
                <td colSpan={CONNECTION_COLUMNS.length} />
              </tr>
            )}
            {rows.slice(first, last).map((row, i) => (
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
        {rows.length === 0 && (
          <p className="empty">
            {all.length === 0 ? 'No connection is allowed.' : 'No connection matches the filter.'}
          </p>
        )}
      </div>
    </section>
  );
}
