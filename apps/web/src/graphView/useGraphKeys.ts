import type { ReactFlowInstance } from '@xyflow/react';
import { type KeyboardEvent, type RefObject, useEffect, useMemo } from 'react';
import type { GraphEdgeElement } from '../authoring/index.ts';
import type { FlowNode } from '../graph/index.ts';
import {
  absoluteBoxes,
  type Direction,
  incidentEdges,
  nearestInDirection,
  readingOrder,
} from '../graph/index.ts';
import {
  nodeSelection,
  selectAction,
  showPanelAction,
  toggleCollapsedAction,
  useStore,
} from '../store/index.ts';
import type { GraphFocusStore, NavItem } from './graphFocus.ts';

const ARROWS: Record<string, Direction> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};

/**
 * The graph's keys, one handler for every node and edge label inside it (they carry
 * `data-nav-kind`/`data-nav-id`):
 * - on a node: arrows move to the nearest node that way (spatially, see nearestInDirection),
 *   Enter/Space select and explain it, E steps into its connections, + and − expand a
 *   collapsed namespace and collapse a workload's namespace;
 * - on a connection: arrows go to the next or previous connection of the node the keyboard
 *   came from, Escape goes back to that node; Enter/Space are the label button's own click.
 */
export function useGraphKeys({
  flow,
  section,
  focusStore,
  nodes,
  edges,
}: {
  flow: RefObject<ReactFlowInstance<FlowNode, GraphEdgeElement> | null>;
  section: RefObject<HTMLElement | null>;
  focusStore: GraphFocusStore;
  nodes: readonly FlowNode[];
  edges: readonly GraphEdgeElement[];
}): (e: KeyboardEvent<HTMLElement>) => void {
  const select = useStore(selectAction);
  const showPanel = useStore(showPanelAction);
  const toggleCollapsed = useStore(toggleCollapsedAction);
  // What the keyboard moves over: node boxes on the canvas, in reading order for the first Tab.
  const navigation = useMemo(() => {
    const boxes = absoluteBoxes(nodes);
    const targets = nodes.filter((n) => n.type !== 'namespace' || n.data.group.collapsed).map((n) => n.id);
    return { boxes, targets, order: readingOrder(boxes, targets) };
  }, [nodes]);
  useEffect(() => focusStore.getState().setOrder(navigation.order), [focusStore, navigation.order]);

  /** Brings an item on screen (React Flow draws only what is visible), then gives it the focus. */
  const moveTo = (item: NavItem) => {
    const instance = flow.current;
    const view = section.current;
    let point: { x: number; y: number } | undefined;
    if (item.kind === 'node') {
      const box = navigation.boxes.get(item.id);
      if (box) point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    } else {
      const edge = edges.find((e) => e.id === item.id);
      const a = edge && navigation.boxes.get(edge.source);
      const b = edge && navigation.boxes.get(edge.target);
      if (a && b) point = { x: (a.x + a.width / 2 + b.x + b.width / 2) / 2, y: (a.y + a.height + b.y) / 2 };
    }
    if (instance && view && point) {
      const { x, y, zoom } = instance.getViewport();
      const sx = point.x * zoom + x;
      const sy = point.y * zoom + y;
      const margin = 60;
      if (sx < margin || sy < margin || sx > view.clientWidth - margin || sy > view.clientHeight - margin)
        void instance.setCenter(point.x, point.y, { zoom, duration: 0 });
    }
    focusStore.getState().activate(item, true);
  };

  return (e: KeyboardEvent<HTMLElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const target = (e.target as HTMLElement).closest<HTMLElement>('[data-nav-kind]');
    const id = target?.dataset.navId;
    if (!target || !id) return;
    const drawn = edges.map((edge) => ({ id: edge.id, source: edge.source, target: edge.target }));
    if (target.dataset.navKind === 'node') {
      const direction = ARROWS[e.key];
      if (direction) {
        e.preventDefault();
        const next = nearestInDirection(navigation.boxes, navigation.targets, id, direction);
        if (next) moveTo({ kind: 'node', id: next });
      } else if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        select(nodeSelection(id));
        showPanel('details');
      } else if (e.key === 'e' || e.key === 'E') {
        const first = incidentEdges(drawn, id, navigation.boxes)[0];
        if (first) moveTo({ kind: 'edge', id: first, from: id });
      } else if (e.key === '+' || e.key === '-') {
        const node = nodes.find((n) => n.id === id);
        if (e.key === '+' && node?.type === 'namespace' && node.data.group.collapsed)
          toggleCollapsed(node.data.group.namespace);
        if (e.key === '-' && node?.type === 'workload' && node.data.node.namespace) {
          // The namespace becomes one node: stay on it.
          toggleCollapsed(node.data.node.namespace);
          focusStore.getState().activate({ kind: 'node', id: `ns:${node.data.node.namespace}` }, true);
        }
      }
      return;
    }
    // On a connection: arrows step through the connections of the node the keyboard came from.
    const active = focusStore.getState().active;
    const from =
      active?.kind === 'edge' && active.id === id && active.from
        ? active.from
        : drawn.find((edge) => edge.id === id)?.source;
    if (!from) return;
    if (ARROWS[e.key]) {
      e.preventDefault();
      const list = incidentEdges(drawn, from, navigation.boxes);
      const at = list.indexOf(id);
      const step = e.key === 'ArrowDown' || e.key === 'ArrowRight' ? 1 : -1;
      const next = list[(at + step + list.length) % list.length];
      if (next) moveTo({ kind: 'edge', id: next, from });
    } else if (e.key === 'Escape') {
      e.preventDefault();
      moveTo({ kind: 'node', id: from });
    }
  };
}
