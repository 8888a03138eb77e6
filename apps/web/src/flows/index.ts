// The public face of flows/ (observed traffic): other folders import from here, never from its files.
export { FlowEdgeDetails } from './FlowEdgeDetails.tsx';
export { FlowImpactNotice, PlanFlowImpact } from './FlowImpactNotice.tsx';
export { FlowsPanel } from './FlowsPanel.tsx';
export type { ObservedFlowEdge } from './flowMarks.ts';
export { flowImportActions, ImportFlowsButton, importFlowFiles } from './ImportFlowsButton.tsx';
export { useFlowEdges } from './useFlowEdges.ts';
export { useFlowsDriver } from './useFlowsDriver.ts';
export { useFlowsOnEdge } from './useFlowsOnEdge.ts';
export { useObservedConnections } from './useObservedConnections.ts';
