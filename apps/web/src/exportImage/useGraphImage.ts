import { useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import { withDraftRanges } from '../authoring/index.ts';
import { layoutKey, useGroupedGraph } from '../graphView/index.ts';
import { selectAnalysisModel, selectLayout, selectRanges, useDerived, useStore } from '../store/index.ts';
import { graphToSvg, type Region } from './graphSvg.ts';

export type ImageScope = 'view' | 'whole';

/**
 * The graph as the canvas shows it (grouped, filtered, with drafted ranges) and its layout, as a
 * function asked only when an image is made: comparing the layout's key with the graph's costs
 * tens of milliseconds on a big cluster, which every render of the menu would otherwise pay.
 */
function useLaidOutGraph() {
  const grouped = useGroupedGraph();
  const model = useDerived(selectAnalysisModel);
  const ranges = useStore(selectRanges);
  const layout = useDerived(selectLayout);
  return useCallback(() => {
    const graph = grouped ? withDraftRanges(grouped, model, ranges) : undefined;
    const ready = graph !== undefined && layout.positions !== undefined && layout.key === layoutKey(graph);
    return ready ? { graph, positions: layout.positions! } : undefined;
  }, [grouped, model, ranges, layout]);
}

/** The part of the graph the canvas shows now, in graph coordinates; undefined when it is not on screen. */
function visibleRegion(viewport: { x: number; y: number; zoom: number }): Region | undefined {
  const canvas = document.querySelector('[data-testid="graph"]');
  if (!canvas) return undefined;
  const { width, height } = canvas.getBoundingClientRect();
  if (width === 0 || height === 0) return undefined;
  return {
    x: -viewport.x / viewport.zoom,
    y: -viewport.y / viewport.zoom,
    width: width / viewport.zoom,
    height: height / viewport.zoom,
  };
}

/**
 * Builds the graph as an SVG document: the current view (what the canvas shows) or the whole
 * graph. Undefined until the layout of the current graph is ready.
 */
export function useGraphSvg(): (
  scope: ImageScope,
) => { svg: string; width: number; height: number } | undefined {
  const laidOut = useLaidOutGraph();
  const flow = useReactFlow();
  return useCallback(
    (scope: ImageScope) => {
      const current = laidOut();
      if (!current) return undefined;
      const region = scope === 'view' ? visibleRegion(flow.getViewport()) : undefined;
      if (scope === 'view' && !region) return undefined;
      const svg = graphToSvg(current.graph, current.positions, {
        region,
        title: scope === 'view' ? 'Allowed connections (current view)' : 'Allowed connections',
      });
      const size = /width="([\d.]+)" height="([\d.]+)"/.exec(svg);
      return { svg, width: Number(size?.[1] ?? 0), height: Number(size?.[2] ?? 0) };
    },
    [laidOut, flow],
  );
}
