import { useId, useMemo } from 'react';
import { parseLabelSelector, selectorMatches } from '../graph/index.ts';
import type { Protocol } from '../model/index.ts';
import {
  NONE,
  policySelection,
  selectAction,
  selectCollapsed,
  selectFilters,
  selectSelection,
  setCollapsedAction,
  setFiltersAction,
  toggleCollapsedAction,
  useDerived,
  useStore,
} from '../store/index.ts';
import { VirtualList } from '../ui/index.ts';
import { policyListRows } from './policyList.ts';
import { AUTO_COLLAPSE_WORKLOADS } from './useAnalysis.ts';

/** Narrow the graph: namespaces, labels, protocol/port, external ranges, focus; collapse namespaces. */
export function FiltersPanel() {
  const namespaces = useDerived((d) => d.analysis.model?.namespaces ?? NONE);
  const policies = useDerived((d) => d.analysis.model?.policies ?? NONE);
  const policyRows = useMemo(() => policyListRows(policies), [policies]);
  const filters = useStore(selectFilters);
  const setFilters = useStore(setFiltersAction);
  const collapsed = useStore(selectCollapsed);
  const toggleCollapsed = useStore(toggleCollapsedAction);
  const setCollapsed = useStore(setCollapsedAction);
  const selection = useStore(selectSelection);
  const select = useStore(selectAction);
  const hidden = new Set(filters.hiddenNamespaces);
  const workloadCount = namespaces.reduce((sum, ns) => sum + ns.workloads, 0);
  const nodes = useDerived((d) => d.analysis.model?.nodes ?? NONE);
  const selector = useMemo(() => parseLabelSelector(filters.label), [filters.label]);
  const labelProblem = selector.diagnostics[0];
  // How many workloads the selector matches: zero is an answer, not a blank graph to puzzle over.
  const labelMatches = useMemo(() => {
    const requirements = selector.requirements;
    if (!requirements || requirements.length === 0) return undefined;
    return nodes.filter((n) => n.type === 'workload' && selectorMatches(requirements, n.labels)).length;
  }, [selector, nodes]);
  const labelErrorId = useId();
  return (
    <aside className="filters" aria-label="Filters">
      <h2>Filters</h2>
      <label className="stacked">
        <span>Workload labels</span>
        <input
          type="text"
          placeholder="app=web, tier, env!=prod"
          title="A Kubernetes label selector: a=b, a!=b, a in (x,y), a notin (x), a, !a; a comma means AND"
          value={filters.label}
          aria-invalid={labelProblem !== undefined}
          aria-describedby={labelProblem || labelMatches !== undefined ? labelErrorId : undefined}
          onChange={(e) => setFilters({ label: e.target.value })}
        />
      </label>
      {labelProblem && (
        <p className="error" id={labelErrorId} data-testid="filters.label.error">
          Not understood, so not applied: {labelProblem.message} (column {labelProblem.range.start + 1}).
        </p>
      )}
      {labelMatches !== undefined && (
        <p className="hint" id={labelErrorId} data-testid="filters.label.matches">
          {labelMatches === 0
            ? 'No workload has these labels.'
            : labelMatches === 1
              ? '1 workload matches, shown with its connections.'
              : `${labelMatches} workloads match, shown with their connections.`}
        </p>
      )}
      <div className="row">
        <label className="stacked">
          <span>Protocol</span>
          <select
            value={filters.protocol}
            onChange={(e) => setFilters({ protocol: e.target.value as Protocol | 'any' })}
          >
            <option value="any">any</option>
            <option value="TCP">TCP</option>
            <option value="UDP">UDP</option>
            <option value="SCTP">SCTP</option>
          </select>
        </label>
        <label className="stacked">
          <span>Port</span>
          <input
            type="number"
            min={1}
            max={65535}
            placeholder="any"
            value={filters.port ?? ''}
            onChange={(e) => setFilters({ port: e.target.value === '' ? undefined : Number(e.target.value) })}
          />
        </label>
      </div>
      <label className="inline">
        <input
          type="checkbox"
          checked={filters.showExternal}
          onChange={(e) => setFilters({ showExternal: e.target.checked })}
        />
        Show external address ranges
      </label>
      {filters.focus && (
        <p className="focus-note">
          Showing neighbours of <code>{filters.focus}</code>{' '}
          <button type="button" onClick={() => setFilters({ focus: undefined })}>
            Show all
          </button>
        </p>
      )}
      <h2>
        Namespaces <span className="count">{namespaces.length}</span>
      </h2>
      <div className="button-group small">
        <button type="button" onClick={() => setCollapsed(namespaces.map((n) => n.name))}>
          Collapse all
        </button>
        <button
          type="button"
          onClick={() => setCollapsed([])}
          disabled={workloadCount > AUTO_COLLAPSE_WORKLOADS}
          title={
            workloadCount > AUTO_COLLAPSE_WORKLOADS
              ? `${workloadCount} workloads are too many to draw at once: expand namespaces one by one, or filter`
              : undefined
          }
        >
          Expand all
        </button>
      </div>
      <VirtualList
        items={namespaces}
        rowHeight={26}
        maxHeight={320}
        label="Namespaces"
        itemKey={(ns) => ns.name}
        render={(ns) => (
          <div className="namespace-row">
            <label className="inline">
              <input
                type="checkbox"
                checked={!hidden.has(ns.name)}
                aria-label={`Show namespace ${ns.name}`}
                onChange={(e) =>
                  setFilters({
                    hiddenNamespaces: e.target.checked
                      ? filters.hiddenNamespaces.filter((n) => n !== ns.name)
                      : [...filters.hiddenNamespaces, ns.name],
                  })
                }
              />
              <span className="ns-name">{ns.name}</span>
              <span className="count">{ns.workloads}</span>
            </label>
            <button
              type="button"
              className="icon-button"
              aria-label={`${collapsed.includes(ns.name) ? 'Expand' : 'Collapse'} namespace ${ns.name}`}
              onClick={() => toggleCollapsed(ns.name)}
            >
              {collapsed.includes(ns.name) ? '+' : '−'}
            </button>
          </div>
        )}
      />
      <h2>
        Policies <span className="count">{policies.length}</span>
      </h2>
      <VirtualList
        items={policyRows}
        rowHeight={24}
        maxHeight={360}
        label="Policies"
        itemKey={(row) => row.key}
        render={(row) =>
          row.kind === 'group' ? (
            <h3 className="policy-group">
              {row.label} <span className="count">{row.count}</span>
            </h3>
          ) : (
            <div className="policy-row">
              <button
                type="button"
                className={`link ${selection?.kind === 'policy' && selection.id === row.policy.id ? 'active' : ''}`}
                aria-pressed={selection?.kind === 'policy' && selection.id === row.policy.id}
                title={`${row.policy.id}${row.policy.priority === undefined ? '' : ` (${row.policy.tier} tier, priority ${row.policy.priority})`}`}
                onClick={() =>
                  select(
                    selection?.kind === 'policy' && selection.id === row.policy.id
                      ? undefined
                      : policySelection(row.policy.id),
                  )
                }
              >
                {row.policy.priority !== undefined && (
                  <span className="policy-priority">{row.policy.priority}</span>
                )}
                {row.policy.tier === 'NetworkPolicy' ? row.policy.id : row.policy.name}
              </button>
              <span className="policy-types">{row.policy.types.join('+')}</span>
            </div>
          )
        }
      />
    </aside>
  );
}
