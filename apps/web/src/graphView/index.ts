// The public face of graphView/: other folders import from here, never from its files.
export { useAdminDenied } from './adminDenied.ts';
export { FiltersPanel } from './FiltersPanel.tsx';
export { GraphView } from './GraphView.tsx';
export { IsolationBadges } from './IsolationBadges.tsx';
export { layoutKey, useAnalysisDriver, useGroupedGraph } from './useAnalysis.ts';
