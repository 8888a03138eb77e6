import {
  Background,
  type Connection,
  ControlButton,
  Controls,
  type EdgeTypes,
  MarkerType,
  MiniMap,
  type NodeTypes,
  ReactFlow,
  type ReactFlowInstance,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import './tiers.css';
import {
  type GraphEdgeElement,
  markDiff,
  overlayMarks,
  useConnectivityDiff,
  withDraftRanges,
} from '../authoring/index.ts';
import { FlowsPanel, useFlowEdges } from '../flows/index.ts';
import type { GroupedGraph, Positions } from '../graph/index.ts';
import {
  absoluteBoxes,
  type FlowEdge,
  type FlowNode,
  groupedEdgeCount,
  keepPlaces,
  MAX_DRAWN_EDGES,
  placeEdgeLabels,
  samePositions,
  toFlowElements,
} from '../graph/index.ts';
import { admittedIds, hasEdgeTiers } from '../model/index.ts';
import {
  connectDialog,
  edgeSelection,
  nodeSelection,
  openDialogAction,
  relayoutAction,
  selectAction,
  selectAnalysisFiles,
  selectAnalysisModel,
  selectAnalysisStatus,
  selectCompare,
  selectDrawing,
  selectFiles,
  selectLayout,
  selectLayoutEpoch,
  selectRanges,
  selectSearch,
  selectSelection,
  showPanelAction,
  useDerived,
  useStore,
} from '../store/index.ts';
import { useAdminDeniedDriver } from './adminDenied.ts';
import { ConnectionEdge } from './ConnectionEdge.tsx';
import { DiffBar } from './DiffBar.tsx';
import { DiffEdge } from './DiffEdge.tsx';
import { ExternalNode } from './ExternalNode.tsx';
import { createGraphFocusStore, GraphFocusContext } from './graphFocus.ts';
import { Legend } from './Legend.tsx';
import { NamespaceNode } from './NamespaceNode.tsx';
import { ObservedFlowEdge as ObservedFlowEdgeView } from './ObservedFlowEdge.tsx';
import { useRevealExpanded } from './revealExpanded.ts';
import {
  layoutKey,
  useGroupedGraph,
  useLayoutDriver,
  useOverviewCurrent,
  useOverviewDriver,
} from './useAnalysis.ts';
import { useGraphKeys } from './useGraphKeys.ts';
import { WorkloadNode } from './WorkloadNode.tsx';

const nodeTypes: NodeTypes = {
  workload: WorkloadNode,
  external: ExternalNode,
  namespace: NamespaceNode,
};
const edgeTypes: EdgeTypes = { connection: ConnectionEdge, diff: DiffEdge, flow: ObservedFlowEdgeView };

const defaultEdgeOptions = { markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } };

const isValidConnection = (c: { source: string; target: string }) => c.source !== c.target;
const PRO_OPTIONS = { hideAttribution: true };
const MINIMAP_STYLE = { width: 150, height: 100 };
/**
 * The minimap's defaults (no colour, no class) as functions made once: given none, it makes new
 * ones on each render, and every node of the minimap re-renders whenever one node is added.
 */
const noMinimapAttribute = () => '';

/** How far the canvas zooms out (a big overview) and in. */
const ZOOM = { min: 0.05, max: 2.5 };

/** Namespace headers: a label there would cover the collapse button and the name. */
const HEADER_HEIGHT = 36;

/**
 * Keeps nodes where the reviewer last saw them. Within one layout epoch (one workspace) each new
 * layout is merged into the remembered positions (see keepPlaces); a new epoch starts afresh
 * once the new workspace's analysis is in, and asks for one fitView.
 */
function useStablePositions(
  graph: GroupedGraph | undefined,
  fresh: Positions | undefined,
  current: boolean,
  viewCentre: () => { x: number; y: number } | undefined,
): { positions: Positions | undefined; epoch: number; fit: boolean } {
  const epoch = useStore(selectLayoutEpoch);
  // Component state, not a module global: a second graph view would keep its own memory.
  const memory = useRef<{ epoch: number; positions: Positions }>({ epoch: -1, positions: {} });
  const last = useRef<Positions>(undefined);
  // The view's centre is read when the layout changes; moving the view does not lay out again.
  const centre = useRef(viewCentre);
  centre.current = viewCentre;
  // `current` matters only until the epoch's memory starts: within an epoch it flips with every
  // keystroke in the editor (the drawing is not the newest analysis' for a moment), and placing
  // every node again then, with the view's centre read from a page the editor just changed,
  // cost a forced layout per keystroke for nothing.
  const remembers = memory.current.epoch === epoch || current;
  const positions = useMemo(() => {
    if (!graph || !fresh) return undefined;
    let remembered = memory.current.positions;
    // Until the new workspace is analysed the old picture stays as it was.
    if (memory.current.epoch !== epoch && remembers) remembered = {};
    const merged = keepPlaces(remembered, fresh, graph, centre.current());
    if (remembers) memory.current = { epoch, positions: { ...remembered, ...merged } };
    // Nothing moved (a new analysis of the same drawing): keep the map what depends on it keys on.
    if (last.current && samePositions(last.current, merged)) return last.current;
    last.current = merged;
    return merged;
  }, [graph, fresh, epoch, remembers]);
  return { positions, epoch, fit: memory.current.epoch === epoch };
}

/** The connectivity graph: namespaces as boxes, workloads and address ranges as nodes, allowed connections as edges. */
export function GraphView() {
  useOverviewDriver();
  const grouped = useGroupedGraph();
  const overviewCurrent = useOverviewCurrent();
  const model = useDerived(selectAnalysisModel);
  const ranges = useStore(selectRanges);
  // Drafted address ranges are laid out with the rest, so they can be connected like any node.
  const graph = useMemo(
    () => (grouped ? withDraftRanges(grouped, model, ranges) : undefined),
    [grouped, model, ranges],
  );
  useLayoutDriver(graph);
  useAdminDeniedDriver();
  const tiers = useMemo(() => (model ? hasEdgeTiers(model) : false), [model]);
  const hasAdminTier = useMemo(() => model?.policies.some((p) => p.tier === 'Admin') ?? false, [model]);
  const drawing = useStore(selectDrawing);
  const compare = useStore(selectCompare);
  const openDialog = useStore(openDialogAction);
  const diff = useConnectivityDiff((d) => (d.status === 'ready' ? d.diff : undefined));
  const layout = useDerived(selectLayout);
  const status = useDerived(selectAnalysisStatus);
  const analysed = useDerived(selectAnalysisFiles);
  const files = useStore(selectFiles);
  const selection = useStore(selectSelection);
  const selectedPolicyId = selection?.kind === 'policy' ? selection.id : undefined;
  const policyHighlight = useMemo(() => {
    const policy = selectedPolicyId ? model?.policies.find((p) => p.id === selectedPolicyId) : undefined;
    return model && policy
      ? { namespace: policy.namespace, selects: policy.selects, admits: admittedIds(model, policy) }
      : undefined;
  }, [model, selectedPolicyId]);
  const search = useStore(selectSearch);
  const select = useStore(selectAction);
  const showPanel = useStore(showPanelAction);
  const relayout = useStore(relayoutAction);
  const flow = useRef<ReactFlowInstance<FlowNode, GraphEdgeElement> | null>(null);
  const section = useRef<HTMLElement>(null);
  const [focusStore] = useState(createGraphFocusStore);

  const key = graph ? layoutKey(graph) : '';
  const ready = graph !== undefined && layout.positions !== undefined && layout.key === key;
  // Newcomers without a namespace (ranges, new namespaces) appear where the reviewer is looking.
  const viewCentre = () => {
    const view = section.current;
    const instance = flow.current;
    if (!view || !instance) return undefined;
    return instance.screenToFlowPosition({
      x: view.getBoundingClientRect().left + view.clientWidth / 2,
      y: view.getBoundingClientRect().top + view.clientHeight / 2,
    });
  };
  const stable = useStablePositions(
    graph,
    ready ? layout.positions : undefined,
    // The grouped graph comes from the worker after the model: until it is the new model's, the
    // drawing is still the old workspace's and must not start the new epoch's memory.
    status === 'ready' && analysed === files && overviewCurrent,
    viewCentre,
  );
  const positions = stable.positions;
  // Where each label goes depends on the drawing only, not on what is selected: placed once per
  // drawing. A new analysis brings a new graph object even when nothing drawn changed (a comment
  // typed in the editor), so the placement is kept while positions and labels stay the same.
  const placedLabels = useRef<{ positions: unknown; signature: string; stops: Map<string, number> }>(
    undefined,
  );
  const labelStops = useMemo(() => {
    // Past the drawing limit only the selection's edges are drawn, and their labels stay at the
    // middle: placing tens of thousands of labels that are never drawn took minutes on 10,000
    // workloads.
    if (!graph || !positions || groupedEdgeCount(graph) > MAX_DRAWN_EDGES) return new Map<string, number>();
    const labelled = graph.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      label: e.all && e.count === 1 ? '' : e.label.slice(0, 26),
    }));
    const signature = JSON.stringify([
      graph.groups.map((g) => [g.id, g.collapsed]),
      labelled.map((e) => [e.id, e.label]),
    ]);
    const last = placedLabels.current;
    if (last && last.positions === positions && last.signature === signature) return last.stops;
    const boxes = absoluteBoxes(
      [...graph.groups, ...graph.nodes].map((n) => ({
        id: n.id,
        position: positions[n.id] ?? { x: 0, y: 0 },
        width: positions[n.id]?.width,
        height: positions[n.id]?.height,
        parentId: 'parent' in n ? n.parent : undefined,
      })),
    );
    const obstacles = [
      ...graph.nodes.map((n) => boxes.get(n.id)),
      ...graph.groups.map((g) => {
        const box = boxes.get(g.id);
        return box && !g.collapsed ? { ...box, height: HEADER_HEIGHT } : box;
      }),
    ].filter((b) => b !== undefined);
    const stops = placeEdgeLabels(labelled, boxes, obstacles);
    placedLabels.current = { positions, signature, stops };
    return stops;
  }, [graph, positions]);
  // Only draw a graph with its own layout: the previous positions would put every new node at
  // the origin and draw every edge of a big cluster at once. Until then the last picture stays.
  const lastDrawn = useRef<{ nodes: FlowNode[]; edges: FlowEdge[]; hiddenEdges: number }>({
    nodes: [],
    edges: [],
    hiddenEdges: 0,
  });
  const elements = useMemo(() => {
    if (!graph || !positions) return lastDrawn.current;
    return toFlowElements(
      graph,
      positions,
      {
        selectedNode: selection?.kind === 'node' ? selection.id : undefined,
        selectedEdge: selection?.kind === 'edge' ? selection.id : undefined,
        policy: policyHighlight,
        search,
      },
      labelStops,
      // The last drawing: unchanged nodes keep their data objects, so their memo holds.
      lastDrawn.current,
    );
  }, [graph, positions, selection, policyHighlight, search, labelStops]);
  lastDrawn.current = elements;
  const diffEdges = useMemo<GraphEdgeElement[]>(() => {
    if (!compare || !diff || !graph) return elements.edges;
    return overlayMarks(elements.nodes, elements.edges, markDiff(graph, diff.changes));
  }, [compare, diff, graph, elements]);
  const edges = useFlowEdges(graph, elements.nodes, diffEdges);
  // React Flow hands its handlers to every node and edge wrapper (memoised components): a new
  // function on each render of this view would re-render every node of the graph with it.
  const onConnect = useCallback(
    (c: Connection) => {
      if (c.source !== c.target) openDialog(connectDialog(c.source, c.target));
    },
    [openDialog],
  );
  const onInit = useCallback((instance: ReactFlowInstance<FlowNode, GraphEdgeElement>) => {
    flow.current = instance;
  }, []);
  const onNodeClick = useCallback(
    (_: unknown, node: FlowNode) => {
      // An expanded namespace's box is only a frame: a click on it is a click beside its workloads.
      if (node.type !== 'namespace' || node.data.group.collapsed) select(nodeSelection(node.id));
    },
    [select],
  );
  const onEdgeClick = useCallback(
    (_: unknown, edge: GraphEdgeElement) => {
      select(edgeSelection(edge));
      showPanel('details');
    },
    [select, showPanel],
  );
  const onPaneClick = useCallback(() => select(undefined), [select]);

  // Fit the view once per workspace; after that the view stays where the reviewer put it.
  const fitted = useRef(-1);
  useEffect(() => {
    if (!ready || !stable.fit || fitted.current === stable.epoch) return;
    fitted.current = stable.epoch;
    requestAnimationFrame(() => flow.current?.fitView({ padding: 0.12, duration: 200 }));
  }, [ready, stable.fit, stable.epoch]);

  // An expanded namespace keeps its place in the drawing: bring it into view.
  useRevealExpanded(flow, section, ready ? graph : undefined, positions, ZOOM);

  const onKeyDown = useGraphKeys({ flow, section, focusStore, nodes: elements.nodes, edges });

  return (
    <GraphFocusContext.Provider value={focusStore}>
      <section
        ref={section}
        className={`graph ${drawing ? 'drawing' : ''}`}
        aria-label="Connectivity graph"
        aria-describedby="graph-keys"
        data-testid="graph"
        data-ready={ready && positions !== undefined && status === 'ready' && overviewCurrent}
        onKeyDown={onKeyDown}
      >
        <p id="graph-keys" className="graph-keys">
          Arrow keys: nearest node that way · Enter: select and explain · E: its connections (arrows: next,
          Esc: back) · +/−: expand, collapse namespace
        </p>
        {elements.hiddenEdges > 0 && (
          <div className="graph-notice" role="status">
            {elements.hiddenEdges.toLocaleString('en')} connections are not drawn: too many to read at once.
            Select a namespace or workload to see its connections, or narrow the graph with the filters.
          </div>
        )}
        {(!ready || status === 'analyzing') && (
          <div className="graph-status" role="status">
            {status === 'analyzing' ? 'Analysing…' : 'Laying out…'}
          </div>
        )}
        {drawing && (
          <div className="graph-hint" role="status">
            Drag from the dot under a workload, namespace or range to the dot on top of another to allow a
            connection.
          </div>
        )}
        {compare && <DiffBar />}
        <FlowsPanel />
        <ReactFlow<FlowNode, GraphEdgeElement>
          nodes={elements.nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          defaultEdgeOptions={defaultEdgeOptions}
          onInit={onInit}
          onNodeClick={onNodeClick}
          onEdgeClick={onEdgeClick}
          onPaneClick={onPaneClick}
          nodesConnectable={drawing}
          onConnect={onConnect}
          isValidConnection={isValidConnection}
          connectionRadius={40}
          minZoom={ZOOM.min}
          maxZoom={ZOOM.max}
          // The nodes and edge labels are the keyboard's stops (one roving Tab stop, see graphFocus);
          // React Flow's own wrappers would add two more per item.
          nodesFocusable={false}
          edgesFocusable={false}
          panActivationKeyCode={null}
          onlyRenderVisibleElements
          proOptions={PRO_OPTIONS}
        >
          <Background gap={24} />
          <Legend tiers={tiers} admin={hasAdminTier} />
          <Controls showInteractive={false}>
            <ControlButton onClick={relayout} title="Lay out again" aria-label="Lay out again">
              ⟳
            </ControlButton>
          </Controls>
          <MiniMap
            pannable
            zoomable
            ariaLabel="Graph overview"
            style={MINIMAP_STYLE}
            nodeColor={noMinimapAttribute}
            nodeStrokeColor={noMinimapAttribute}
            nodeClassName={noMinimapAttribute}
          />
        </ReactFlow>
      </section>
    </GraphFocusContext.Provider>
  );
}
