// The public face of authoring/: other folders import from here, never from its files.
export { AuthoringActions } from './AuthoringActions.tsx';
export { AuthoringToolbar } from './AuthoringToolbar.tsx';
export { AuthoringClient, AuthoringClientProvider } from './client.ts';
export { DraftRangeDetails } from './DraftRangeDetails.tsx';
export { markDiff } from './diffOverlay.ts';
export { useConnectivityDiff, useDiffDriver } from './diffStore.ts';
export { withDraftRanges } from './endpoints.ts';
export { FileDiffList } from './FileDiffList.tsx';
export type { DiffFlowEdge, GraphEdgeElement } from './flowOverlay.ts';
export { overlayMarks } from './flowOverlay.ts';
export { PolicyActions } from './PolicyActions.tsx';
