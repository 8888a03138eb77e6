export {
  type Diagnostic,
  formatFieldPath,
  type Locator,
  type PathSegment,
  type Severity,
  type SourcePosition,
  type SourceRange,
} from './diagnostics.ts';
export { ManifestCache } from './incremental.ts';
export { cidrToInterval, formatIPv4, IPV4_ALL, ipv4FromBytes, parseIPv4 } from './ipv4.ts';
export {
  type ParseOptions,
  type ParseResult,
  parseFile,
  parseManifests,
  type UnanalysedObject,
} from './parse.ts';
export { SeededRandom } from './seededRandom.ts';
export type {
  ClusterPolicyKind,
  ClusterPolicyObject,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterPolicyRule,
  ClusterPolicySpec,
  ContainerPort,
  IPBlock,
  KubeObject,
  LabelSelector,
  LabelSelectorRequirement,
  Labels,
  NamespacedPodSelector,
  NamespaceObject,
  NetworkPolicyObject,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicyRule,
  NetworkPolicySpec,
  NodeObject,
  ObjectMeta,
  ObjectSource,
  OwnerReference,
  PodObject,
  PodTemplate,
  ServiceObject,
  ServicePort,
  SourceFile,
  WorkloadKind,
  WorkloadObject,
} from './types.ts';
export { CLUSTER_POLICY_KINDS } from './types.ts';
export { type ParsedCIDR, parseCIDR } from './validate/cidr.ts';
export { type ClusterPolicyValidationOptions, validateClusterPolicy } from './validate/clusterPolicy.ts';
export type { CrdChannel } from './validate/crdSchema.ts';
export { validateNetworkPolicy } from './validate/networkPolicy.ts';
export {
  FIELD_VALIDATIONS,
  type FieldValidation,
  type KubeVersion,
  parseKubeVersion,
  type ValidationOptions,
} from './validate/options.ts';
