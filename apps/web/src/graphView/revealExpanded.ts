import type { ReactFlowInstance } from '@xyflow/react';
import { type RefObject, useEffect, useRef } from 'react';
import { type Box, type GroupedGraph, groupId, type Positions } from '../graph/index.ts';
import { selectCollapsed, useStore } from '../store/index.ts';

/** Room left around a revealed namespace, as a share of its size. */
const MARGIN = 0.15;
/** A revealed namespace is not magnified past its natural size. */
const MAX_REVEAL_ZOOM = 1;

/**
 * The view (centre and zoom) that shows all of `box` in a canvas of `view`'s size, with a margin:
 * as close as the canvas allows, never past natural size nor past the canvas' own zoom limits.
 */
export function revealView(
  box: Box,
  view: { width: number; height: number },
  zoom: { min: number; max: number },
): { x: number; y: number; zoom: number } {
  const fit = Math.min(
    view.width / (box.width * (1 + 2 * MARGIN)),
    view.height / (box.height * (1 + 2 * MARGIN)),
  );
  return {
    x: box.x + box.width / 2,
    y: box.y + box.height / 2,
    zoom: Math.max(zoom.min, Math.min(fit, MAX_REVEAL_ZOOM, zoom.max)),
  };
}

/**
 * The namespaces expanded since `before` (collapsed then, not now), when there is exactly one:
 * "Expand all" or a new workspace reveals nothing in particular.
 */
export function newlyExpanded(before: readonly string[], now: readonly string[]): string | undefined {
  if (before === now) return undefined;
  const still = new Set(now);
  const opened = before.filter((ns) => !still.has(ns));
  return opened.length === 1 ? opened[0] : undefined;
}

/**
 * After the reviewer expands one namespace, moves the view onto its box once the box is drawn
 * expanded: it keeps its place in the drawing, where only part of it (or none) may be in view.
 */
export function useRevealExpanded(
  flow: RefObject<Pick<ReactFlowInstance, 'setCenter'> | null>,
  view: RefObject<HTMLElement | null>,
  graph: GroupedGraph | undefined,
  positions: Positions | undefined,
  zoom: { min: number; max: number },
): void {
  const collapsed = useStore(selectCollapsed);
  const last = useRef(collapsed);
  const pending = useRef<string | undefined>(undefined);
  if (last.current !== collapsed) {
    pending.current = newlyExpanded(last.current, collapsed);
    last.current = collapsed;
  }
  useEffect(() => {
    const namespace = pending.current;
    if (namespace === undefined || !graph || !positions) return;
    const id = groupId(namespace);
    const box = positions[id];
    // Not drawn expanded yet: the overview and its layout are on their way.
    if (!box || !graph.groups.some((g) => g.id === id && !g.collapsed)) return;
    pending.current = undefined;
    // In the next frame, where the browser lays the page out anyway: reading the canvas' size now,
    // right after the expanded namespace is drawn, would force that layout (of every node on a
    // big overview) into the same task.
    requestAnimationFrame(() => {
      const canvas = view.current;
      if (!canvas || canvas.clientWidth === 0) return;
      const target = revealView(box, { width: canvas.clientWidth, height: canvas.clientHeight }, zoom);
      flow.current?.setCenter(target.x, target.y, { zoom: target.zoom, duration: 200 });
    });
  }, [graph, positions, flow, view, zoom]);
}
