export { planClusterDeny } from './clusterDeny.ts';
export { applyFileEdits } from './compiled.ts';
export { type BundleFile, type ExportOptions, exportBundle, policyYaml } from './exportBundle.ts';
export { type CheckedMigration, migrateWorkspace } from './migrate/equivalence.ts';
export type {
  ConvertedPolicy,
  FileMapping,
  MigrationDifference,
  MigrationEquivalence,
  MigrationIssue,
  MigrationIssueCode,
  MigrationSeverity,
} from './migrate/types.ts';
export { plan } from './plan.ts';
export {
  describePeers,
  type PeerDescription,
  type PeerForm,
  type PolicyForm,
  type PortForm,
  type RuleDescription,
  type RuleForm,
  readPolicyForm,
  type SelectorForm,
  writePolicyForm,
} from './policyForm.ts';
export {
  type PresetTarget,
  presetAllowWithinNamespace,
  presetDefaultDenyEgressKeepDns,
  presetDefaultDenyIngress,
} from './presets.ts';
export { planRemoval } from './removal.ts';
export { planTighten } from './tighten/tighten.ts';
export type {
  BeyondObserved,
  DeniedObserved,
  ObservedConnection,
  ObservedEnd,
  ObservedVerdict,
  TierDecided,
  TightenOptions,
  TightenPlan,
  TightenReport,
  TightenScope,
} from './tighten/types.ts';
export type {
  Change,
  EdgeIntent,
  FileEdit,
  Files,
  PeerRef,
  Placement,
  Plan,
  PlanFailureReason,
  PlanOk,
  PlanOptions,
  PlanSource,
  PortIntent,
  RemovalIntent,
  RuleRef,
} from './types.ts';
