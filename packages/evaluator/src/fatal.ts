// Which build diagnostics make an analysis untrustworthy, and which leave the rest of the input
// worth analysing.

import type { Diagnostic } from '@netpol-atlas/manifests';
import { compatTolerated } from './clusterPolicies.ts';
import type { ClusterOptions } from './model.ts';

const NON_FATAL_ERRORS = new Set([
  'yaml-syntax',
  'yaml-alias-limit',
  'yaml-too-deep',
  'yaml-undefined-alias',
  'yaml-recursive-alias',
  'yaml-complex-key',
  'file-too-large',
  'meta-invalid-name',
  'meta-invalid-namespace',
]);

/**
 * True when a diagnostic makes the analysis untrustworthy (an object the API server would
 * refuse for what its spec says, duplicate objects, pods one peer cannot represent). Unreadable
 * documents and malformed names are errors too, but the rest of the input is still analysed, as
 * netpol-analyzer does.
 */
export function isFatal(diagnostic: Diagnostic): boolean {
  return (
    diagnostic.severity === 'error' &&
    !NON_FATAL_ERRORS.has(diagnostic.code) &&
    !refusedButReadable(diagnostic)
  );
}

/** What the manifests validator reports about container ports of pods and pod templates. */
const CONTAINER_PORT_ERRORS = new Set([
  'pod-invalid-port-name',
  'pod-duplicate-port-name',
  'pod-container-port-required',
  'pod-container-port-range',
  'pod-host-port-range',
  'pod-port-protocol',
]);

// A Pod, workload or Namespace the API server would refuse for its metadata or container ports
// (an invalid label, a port out of range) still says clearly what it selects and exposes.
function refusedButReadable(diagnostic: Diagnostic): boolean {
  return (
    diagnostic.kind !== undefined &&
    diagnostic.kind !== 'NetworkPolicy' &&
    (diagnostic.code.startsWith('meta-') || CONTAINER_PORT_ERRORS.has(diagnostic.code))
  );
}

/** {@link isFatal} under build options: `compat: 'netpol-analyzer'` tolerates what it does. */
export function isFatalUnder(options: Pick<ClusterOptions, 'compat'>): (diagnostic: Diagnostic) => boolean {
  return (diagnostic) =>
    !(options.compat === 'netpol-analyzer' && compatTolerated(diagnostic)) && isFatal(diagnostic);
}
