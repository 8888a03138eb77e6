// The public face of graph/: other folders import from here, never from its files.

export { drawnAs, drawnPlaces } from './drawnPeers.ts';
export { placeEdgeLabels, pointOnEdge } from './edgeLabels.ts';
export { isAggregatedEdge, pairsBehind } from './edgePairs.ts';
export { filterColumns } from './filterColumns.ts';
export type { GraphFilters } from './filterGraph.ts';
export { edgeAllows, filterGraph, NO_FILTERS } from './filterGraph.ts';
export type { WireGroupedGraph } from './groupedEdges.ts';
export { fromWire, groupedEdgeCount, overviewTransferables } from './groupedEdges.ts';
export type { GroupedGraph } from './groupGraph.ts';
export { groupGraph, groupId } from './groupGraph.ts';
export type { Direction } from './keyboardNav.ts';
export { absoluteBoxes, incidentEdges, nearestInDirection, readingOrder } from './keyboardNav.ts';
export { parseLabelSelector, selectorMatches } from './labelSelector.ts';
export type { Box, LayoutInput, Positions } from './layout.ts';
export { layoutGraph, layoutInput } from './layout.ts';
export { overviewCache } from './overview.ts';
export { keepPlaces, samePositions } from './stableLayout.ts';
export type {
  ConnectionEdgeData,
  FlowEdge,
  FlowNode,
  GroupNodeData,
  WorkloadNodeData,
} from './toFlowElements.ts';
export { MAX_DRAWN_EDGES, shortenLabel, toFlowElements } from './toFlowElements.ts';
