import { useEffect } from 'react';
import { create } from 'zustand';
import {
  filterGraph,
  fromWire,
  type GraphFilters,
  type GroupedGraph,
  groupGraph,
  type LayoutInput,
  layoutInput,
} from '../graph/index.ts';
import {
  type AdminDenialsView,
  type GraphModel,
  hydrateModel,
  type Problem,
  revisionOf,
  type WireModel,
} from '../model/index.ts';
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
import { selectDeniedDrawn, useAdminDenied } from './adminDenied.ts';

const ANALYZE_DEBOUNCE_MS = 150;
/** Above this many workloads a freshly loaded cluster opens with its namespaces collapsed. */
export const AUTO_COLLAPSE_WORKLOADS = 150;

/** Publishes an analysis reply for `files`. */
function applyAnalysis(reply: { model: WireModel; problems: Problem[]; ms: number }, files: unknown): void {
  // Big clusters open as one node per namespace (expand on demand): set this before the
  // result lands so the first overview asked for is already the collapsed one.
  const store = useStore.getState();
  if (store.view.autoCollapse) {
    const workloads = reply.model.namespaces.reduce((sum, ns) => sum + ns.workloads, 0);
    store.setCollapsed(workloads > AUTO_COLLAPSE_WORKLOADS ? reply.model.namespaces.map((n) => n.name) : []);
  }
  useDerived.setState({
    analysis: {
      status: 'ready',
      files,
      model: hydrateModel(reply.model),
      problems: reply.problems,
      ms: reply.ms,
      error: undefined,
    },
  });
}

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
      // Only what changed since the last request crosses to the worker (see AnalysisClient.analyze).
      analysisClient()
        .analyze(files, { cni })
        .then(
          (reply) => {
            if (!reply) return;
            // Reading a big reply (10,000 workloads' nodes and policies) is a task of its own;
            // drawing it starts in the next one, so the two do not add up to one long task.
            setTimeout(() => applyAnalysis(reply, files), 0);
          },
          (error: unknown) => {
            // The page shows the message; the worker's stack (kept by WorkerRequestError) goes to
            // the console, where a bug report can be read from.
            console.error(error);
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

/** What an overview is of: it is current while these are the view's. */
interface OverviewInputs {
  model: GraphModel;
  filters: GraphFilters;
  collapsed: readonly string[];
  denied: AdminDenialsView | undefined;
}

/** The filtered, grouped graph the worker sent last, and what it was asked for. */
interface OverviewState {
  graph: GroupedGraph | undefined;
  of: OverviewInputs | undefined;
}

const useOverview = create<OverviewState>()(() => ({
  graph: undefined,
  of: undefined,
}));
const selectOverviewGraph = (s: OverviewState) => s.graph;
const selectOverviewOf = (s: OverviewState) => s.of;

function sameInputs(a: OverviewInputs | undefined, b: OverviewInputs): boolean {
  return (
    a !== undefined &&
    a.model === b.model &&
    a.filters === b.filters &&
    a.collapsed === b.collapsed &&
    a.denied === b.denied
  );
}

function useOverviewInputs(): OverviewInputs | undefined {
  const model = useDerived(selectAnalysisModel);
  const filters = useStore(selectFilters);
  const collapsed = useStore(selectCollapsed);
  const denied = useAdminDenied(selectDeniedDrawn);
  return model ? { model, filters, collapsed, denied } : undefined;
}

/**
 * Asks the worker for the filtered, grouped graph whenever the model, the filters, the collapsed
 * namespaces or the Admin-denied overlay change. The worker holds every connection (a million
 * on 10,000 workloads); the page gets only what is drawn: collapsed namespaces as single nodes
 * with aggregated edges, and the workloads of the expanded ones. Mounted once, by the graph view.
 */
export function useOverviewDriver(): void {
  const inputs = useOverviewInputs();
  const { model, filters, collapsed, denied } = inputs ?? {};
  // biome-ignore lint/correctness/useExhaustiveDependencies: `inputs` is rebuilt on each render; its parts are the key
  useEffect(() => {
    if (!inputs) return;
    const revision = revisionOf(inputs.model);
    if (revision === undefined) {
      // A model the worker did not send (none has a revision then): group it here.
      const shown = inputs.denied
        ? {
            nodes: [...inputs.model.nodes, ...inputs.denied.nodes],
            edges: [...inputs.model.edges, ...inputs.denied.edges],
          }
        : inputs.model;
      useOverview.setState({
        graph: groupGraph(filterGraph(shown, inputs.filters), new Set(inputs.collapsed)),
        of: inputs,
      });
      return;
    }
    let live = true;
    analysisClient()
      .request('overview', {
        revision,
        filters: inputs.filters,
        collapsed: [...inputs.collapsed],
        extra: inputs.denied && { nodes: inputs.denied.nodes, edges: inputs.denied.edges },
      })
      .then(
        (reply) => {
          // No graph: the worker has analysed a newer revision, whose model is on its way and
          // will ask again.
          if (!live || !reply?.graph) return;
          const graph = fromWire(reply.graph);
          if (reply.layout) layoutInputs.set(graph, reply.layout);
          useOverview.setState({ graph, of: inputs });
        },
        (error: unknown) => console.error(error),
      );
    return () => {
      live = false;
    };
  }, [model, filters, collapsed, denied]);
}

/** The filtered, grouped graph last drawn (it may be of an earlier model or filters: see useOverviewCurrent). */
export function useGroupedGraph(): GroupedGraph | undefined {
  return useOverview(selectOverviewGraph);
}

/** Whether the grouped graph is of the current model, filters, collapsed namespaces and overlay. */
export function useOverviewCurrent(): boolean {
  const inputs = useOverviewInputs();
  const of = useOverview(selectOverviewOf);
  return inputs !== undefined && sameInputs(of, inputs);
}

/** The layout inputs the worker read of the graphs it sent (see layoutInputOf). */
const layoutInputs = new WeakMap<GroupedGraph, LayoutInput>();

/**
 * The layout input of a grouped graph: as the worker sent it with the graph, or read here. Read
 * on the page, a collapsed overview's 100,000 aggregated edges took tens of ms of the main thread
 * on each expansion (its code runs cold, once per graph).
 */
function layoutInputOf(graph: GroupedGraph): LayoutInput {
  return layoutInputs.get(graph) ?? layoutInput(graph);
}

const keys = new WeakMap<GroupedGraph, string>();

/** A key that changes exactly when the layout's input changes (kept per graph object). */
export function layoutKey(graph: GroupedGraph): string {
  let key = keys.get(graph);
  if (key === undefined) {
    key = JSON.stringify(layoutInputOf(graph));
    keys.set(graph, key);
  }
  return key;
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
      .request('layout', { graph: layoutInputOf(graph) })
      .then(
        (reply) => {
          if (reply) useDerived.setState({ layout: { key, positions: reply.positions, status: 'ready' } });
        },
        () => useDerived.setState((d) => ({ layout: { ...d.layout, status: 'failed' } })),
      );
  }, [key]);
}
