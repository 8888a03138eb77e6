import { useEffect, useMemo } from 'react';
import { filterGraph, type GroupedGraph, groupGraph } from '../graph/index.ts';
import {
  selectAnalysisModel,
  selectCni,
  selectCollapsed,
  selectFiles,
  selectFilters,
  useDerived,
  useStore,
} from '../store/index.ts';
import { analysisClient, layoutClient } from '../workspace/index.ts';
import { useAdminDenied } from './adminDenied.ts';

const ANALYZE_DEBOUNCE_MS = 150;
/** Above this many workloads a freshly loaded cluster opens with its namespaces collapsed. */
export const AUTO_COLLAPSE_WORKLOADS = 150;

/**
 * Re-analyses the documents in the worker whenever they change (debounced while typing), and
 * publishes the result. Only the newest request's reply is applied.
 */
export function useAnalysisDriver(): void {
  const files = useStore(selectFiles);
  const cni = useStore(selectCni);
  useEffect(() => {
    useDerived.setState((d) => ({ analysis: { ...d.analysis, status: 'analyzing' } }));
    const timer = setTimeout(() => {
      analysisClient()
        .request('analyze', { files, options: { cni } })
        .then(
          (reply) => {
            if (!reply) return;
            // Big clusters open as one node per namespace (expand on demand): set this before the
            // result lands so the first layout is already the collapsed one.
            const store = useStore.getState();
            if (store.view.autoCollapse) {
              const workloads = reply.model.nodes.filter((n) => n.type === 'workload').length;
              store.setCollapsed(
                workloads > AUTO_COLLAPSE_WORKLOADS ? reply.model.namespaces.map((n) => n.name) : [],
              );
            }
            useDerived.setState({
              analysis: {
                status: 'ready',
                files,
                model: reply.model,
                problems: reply.problems,
                ms: reply.ms,
                error: undefined,
              },
            });
          },
          (error: unknown) => {
            useDerived.setState((d) => ({
              analysis: {
                ...d.analysis,
                status: 'failed',
                error: error instanceof Error ? error.message : String(error),
              },
            }));
          },
        );
    }, ANALYZE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [files, cni]);
}

/** The filtered, grouped graph for the current view (memoised on its inputs). */
export function useGroupedGraph(): GroupedGraph | undefined {
  const model = useDerived(selectAnalysisModel);
  const filters = useStore(selectFilters);
  const collapsed = useStore(selectCollapsed);
  const denied = useAdminDenied((s) => (s.show ? s.result : undefined));
  return useMemo(() => {
    if (!model) return undefined;
    // The Admin-denied overlay is drawn with the allowed edges: the same filters and grouping apply.
    const shown = denied
      ? { nodes: [...model.nodes, ...denied.nodes], edges: [...model.edges, ...denied.edges] }
      : model;
    return groupGraph(filterGraph(shown, filters), new Set(collapsed));
  }, [model, denied, filters, collapsed]);
}

/** A key that changes exactly when the layout's input changes. */
export function layoutKey(graph: GroupedGraph): string {
  return JSON.stringify([
    graph.groups.map((g) => [g.id, g.collapsed]),
    graph.nodes.map((n) => n.id),
    graph.edges.map((e) => e.id),
  ]);
}

/** Lays out the grouped graph in the worker when its shape changes. */
export function useLayoutDriver(graph: GroupedGraph | undefined): void {
  const key = graph ? layoutKey(graph) : '';
  // The key captures everything the layout depends on; the graph object also changes with
  // filters that move nothing, and re-laying out then would only waste the worker's time.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the layout input, see above
  useEffect(() => {
    if (!graph) return;
    if (useDerived.getState().layout.key === key && useDerived.getState().layout.positions) return;
    useDerived.setState((d) => ({ layout: { ...d.layout, status: 'laying-out' } }));
    layoutClient()
      .request('layout', { graph })
      .then(
        (reply) => {
          if (reply) useDerived.setState({ layout: { key, positions: reply.positions, status: 'ready' } });
        },
        () => useDerived.setState((d) => ({ layout: { ...d.layout, status: 'failed' } })),
      );
  }, [key]);
}
