import {
  Background,
  type Connection,
  Controls,
  type EdgeTypes,
  MarkerType,
  MiniMap,
  type NodeTypes,
  ReactFlow,
  type ReactFlowInstance,
} from '@xyflow/react';
import { useEffect, useMemo, useRef } from 'react';
import { DiffBar } from '../authoring/DiffBar.tsx';
import { DiffEdge } from '../authoring/DiffEdge.tsx';
import { markDiff } from '../authoring/diffOverlay.ts';
import { useConnectivityDiff } from '../authoring/diffStore.ts';
import { withDraftRanges } from '../authoring/endpoints.ts';
import { type GraphEdgeElement, overlayMarks } from '../authoring/flowOverlay.ts';
import { type FlowEdge, type FlowNode, toFlowElements } from '../model/toFlowElements.ts';
import { admittedIds } from '../model/types.ts';
import { useDerived } from '../store/derived.ts';
import { useStore } from '../store/store.ts';
import { layoutKey, useGroupedGraph, useLayoutDriver } from '../useAnalysis.ts';
import { CollapsedNamespaceNode } from './CollapsedNamespaceNode.tsx';
import { ConnectionEdge } from './ConnectionEdge.tsx';
import { ExternalNode } from './ExternalNode.tsx';
import { NamespaceNode } from './NamespaceNode.tsx';
import { WorkloadNode } from './WorkloadNode.tsx';

const nodeTypes: NodeTypes = {
  workload: WorkloadNode,
  external: ExternalNode,
  namespace: NamespaceNode,
  collapsedNamespace: CollapsedNamespaceNode,
};
const edgeTypes: EdgeTypes = { connection: ConnectionEdge, diff: DiffEdge };
const defaultEdgeOptions = { markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } };

/** What the edge styles and badges mean. */
function Legend() {
  return (
    <aside className="legend" aria-label="Legend">
      <span>
        <svg width="28" height="6" aria-hidden="true">
          <line x1="0" y1="3" x2="28" y2="3" stroke="#2563eb" strokeWidth="2" />
        </svg>
        specific ports
      </span>
      <span>
        <svg width="28" height="6" aria-hidden="true">
          <line x1="0" y1="3" x2="28" y2="3" stroke="#94a3b8" strokeWidth="2" strokeDasharray="5 4" />
        </svg>
        all traffic
      </span>
      <span>
        <span className="badge badge-on">in ✓</span> isolated by a policy
      </span>
      <span>
        <span className="badge badge-open">unprotected</span> no policy selects it
      </span>
    </aside>
  );
}

/** The connectivity graph: namespaces as boxes, workloads and address ranges as nodes, allowed connections as edges. */
export function GraphView() {
  const grouped = useGroupedGraph();
  const model = useDerived((d) => d.analysis.model);
  const ranges = useStore((s) => s.authoring.ranges);
  // Drafted address ranges are laid out with the rest, so they can be connected like any node.
  const graph = useMemo(
    () => (grouped ? withDraftRanges(grouped, model, ranges) : undefined),
    [grouped, model, ranges],
  );
  useLayoutDriver(graph);
  const drawing = useStore((s) => s.authoring.drawing);
  const compare = useStore((s) => s.authoring.compare);
  const openDialog = useStore((s) => s.openDialog);
  const diff = useConnectivityDiff((d) => (d.status === 'ready' ? d.diff : undefined));
  const layout = useDerived((d) => d.layout);
  const status = useDerived((d) => d.analysis.status);
  const selection = useStore((s) => s.view.selection);
  const selectedPolicyId = selection?.kind === 'policy' ? selection.id : undefined;
  const policyHighlight = useMemo(() => {
    const policy = selectedPolicyId ? model?.policies.find((p) => p.id === selectedPolicyId) : undefined;
    return model && policy
      ? { namespace: policy.namespace, selects: policy.selects, admits: admittedIds(model, policy) }
      : undefined;
  }, [model, selectedPolicyId]);
  const search = useStore((s) => s.view.search);
  const select = useStore((s) => s.select);
  const flow = useRef<ReactFlowInstance<FlowNode, GraphEdgeElement> | null>(null);

  const key = graph ? layoutKey(graph) : '';
  const ready = graph !== undefined && layout.positions !== undefined && layout.key === key;
  // Only draw a graph with its own layout: the previous positions would put every new node at
  // the origin and draw every edge of a big cluster at once. Until then the last picture stays.
  const lastDrawn = useRef<{ nodes: FlowNode[]; edges: FlowEdge[]; hiddenEdges: number }>({
    nodes: [],
    edges: [],
    hiddenEdges: 0,
  });
  const elements = useMemo(() => {
    if (!graph || !layout.positions || layout.key !== key) return lastDrawn.current;
    return toFlowElements(graph, layout.positions, {
      selectedNode: selection?.kind === 'node' ? selection.id : undefined,
      selectedEdge: selection?.kind === 'edge' ? selection.id : undefined,
      policy: policyHighlight,
      search,
    });
  }, [graph, layout.positions, layout.key, key, selection, policyHighlight, search]);
  lastDrawn.current = elements;
  const edges = useMemo<GraphEdgeElement[]>(() => {
    if (!compare || !diff || !graph) return elements.edges;
    return overlayMarks(elements.nodes, elements.edges, markDiff(graph, diff.changes));
  }, [compare, diff, graph, elements]);
  const onConnect = (c: Connection) => {
    if (c.source !== c.target) openDialog({ kind: 'connect', src: c.source, dst: c.target });
  };

  // Fit the view whenever a new layout arrives (new documents, filters, collapsing).
  // biome-ignore lint/correctness/useExhaustiveDependencies: layout.key is the trigger, not an input
  useEffect(() => {
    if (ready) requestAnimationFrame(() => flow.current?.fitView({ padding: 0.12, duration: 200 }));
  }, [ready, layout.key]);

  return (
    <section
      className={`graph ${drawing ? 'drawing' : ''}`}
      aria-label="Connectivity graph"
      data-testid="graph"
      data-ready={ready && status === 'ready'}
    >
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
      <ReactFlow<FlowNode, GraphEdgeElement>
        nodes={elements.nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onInit={(instance) => {
          flow.current = instance;
        }}
        onNodeClick={(_, node) => {
          if (node.type !== 'namespace') select({ kind: 'node', id: node.id });
        }}
        onEdgeClick={(_, edge) =>
          select({ kind: 'edge', id: edge.id, source: edge.source, target: edge.target })
        }
        onPaneClick={() => select(undefined)}
        nodesConnectable={drawing}
        onConnect={onConnect}
        isValidConnection={(c) => c.source !== c.target}
        connectionRadius={40}
        minZoom={0.05}
        maxZoom={2.5}
        onlyRenderVisibleElements
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        <Legend />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Graph overview" style={{ width: 150, height: 100 }} />
      </ReactFlow>
    </section>
  );
}
