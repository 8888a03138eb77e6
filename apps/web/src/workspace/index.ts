// The public face of workspace/: other folders import from here, never from its files.
export { analysisClient, layoutClient } from './analysisClients.ts';
export type { AuthoringRequest, AuthoringResponse, PlanJob } from './authoringProtocol.ts';
export { compiledWorker } from './client.ts';
export type { ConnectionColumn, ConnectionSort, SidePolicies } from './connectionOrder.ts';
export { policiesOf } from './connectionOrder.ts';
export { type ExportProgress, exportConnectionsCsv } from './connectionsExport.ts';
export type { ConnectionChangeView, ConnectivityDiffView } from './connectivityDiff.ts';
export { DropZone } from './DropZone.tsx';
export { flowsClient } from './flowsClient.ts';
export type {
  FlowImpactView,
  FlowImportProgress,
  FlowImportStep,
  FlowItemView,
  FlowRuleView,
  FlowsView,
  UnobservedView,
} from './flowsHandler.ts';
export { GenerationalClient } from './generationalClient.ts';
export { ImportButtons } from './ImportButtons.tsx';
export type { MatrixCounts } from './matrixCounts.ts';
export type { MigrationPreview } from './migrateHandler.ts';
export type { QueryState } from './queryRunner.ts';
export { ResetDialog } from './ResetDialog.tsx';
export { ShareDialog } from './ShareDialog.tsx';
export { askConnections, askMatrix } from './tableQueries.ts';
export type { TableSource } from './tableSource.ts';
export { tableSourceOf } from './tableSource.ts';
export { useAnalysisQuery, useWorkerQuery } from './useWorkerQuery.ts';
export { useWorkspaceStorage, WorkspaceStorage, WorkspaceStorageProvider } from './workspaceStorage.ts';
