// API-server-equivalent validation of the parts of Pods, workloads and Namespaces that this tool
// reads: object metadata, pod template labels and annotations, and container ports (numbers,
// host ports, names and their uniqueness, protocols). It follows ValidatePodCreate,
// ValidatePodTemplateSpec and validateContainerPorts in kubernetes/pkg/apis/core/validation with
// the same field paths and `field.Error` text. The rest of a pod spec (images, probes, volumes)
// is not checked: it does not change what the tool shows, and a partial check there would read
// as a complete one.

import type { PathSegment } from '../diagnostics.ts';
import {
  type Context,
  emit,
  goQuote,
  invalid,
  isObject,
  notSupported,
  optionalArray,
  optionalInt32,
  optionalObject,
  optionalString,
  present,
  required,
} from './fieldErrors.ts';
import { isValidPortName, isValidPortNum, nameIsDNSLabel, utf8Length } from './names.ts';
import { validateAnnotations, validateLabels, validateObjectMeta } from './objectMeta.ts';

const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;

// A CronJob's name gets an 11-character suffix on the Jobs it creates, which must still be a
// DNS-1035 label (63 characters).
const CRONJOB_NAME_MAX_LENGTH = 52;

/** `metadata` and `spec` of a Pod. */
export function validatePod(ctx: Context, raw: Readonly<Record<string, unknown>>): void {
  validateObjectMeta(ctx, raw.metadata);
  validatePodSpec(ctx, raw.spec, ['spec']);
}

/** `metadata` of a Namespace, whose name is a DNS-1123 label (no dots, 63 characters at most). */
export function validateNamespace(ctx: Context, raw: Readonly<Record<string, unknown>>): void {
  validateObjectMeta(ctx, raw.metadata, nameIsDNSLabel);
}

/**
 * `metadata` of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob) and its pod template.
 */
export function validateWorkload(ctx: Context, kind: string, raw: Readonly<Record<string, unknown>>): void {
  validateObjectMeta(ctx, raw.metadata);
  if (kind === 'CronJob') validateCronJobName(ctx, raw.metadata);
  const spec = optionalObject(ctx, raw.spec, ['spec']) ?? {};
  if (kind === 'CronJob') {
    const jobTemplate = optionalObject(ctx, spec.jobTemplate, ['spec', 'jobTemplate']) ?? {};
    const jobSpec = optionalObject(ctx, jobTemplate.spec, ['spec', 'jobTemplate', 'spec']) ?? {};
    validatePodTemplate(ctx, jobSpec.template, ['spec', 'jobTemplate', 'spec', 'template']);
  } else {
    validatePodTemplate(ctx, spec.template, ['spec', 'template']);
  }
}

function validateCronJobName(ctx: Context, metadata: unknown): void {
  if (!isObject(metadata) || typeof metadata.name !== 'string') return;
  const name = metadata.name;
  if (utf8Length(name) > CRONJOB_NAME_MAX_LENGTH) {
    emit(
      ctx,
      'meta-invalid-name',
      ['metadata', 'name'],
      invalid(name, `must be no more than ${CRONJOB_NAME_MAX_LENGTH} characters`),
    );
  }
}

/** A pod template: its labels and annotations (a template has no name), then its pod spec. */
function validatePodTemplate(ctx: Context, value: unknown, path: PathSegment[]): void {
  const template = optionalObject(ctx, value, path);
  if (template === undefined) return;
  const metaPath = [...path, 'metadata'];
  const meta = optionalObject(ctx, template.metadata, metaPath) ?? {};
  validateLabels(
    ctx,
    meta.labels,
    [...metaPath, 'labels'],
    'meta-invalid-label-key',
    'meta-invalid-label-value',
  );
  validateAnnotations(ctx, meta.annotations, [...metaPath, 'annotations']);
  validatePodSpec(ctx, template.spec, [...path, 'spec']);
}

function validatePodSpec(ctx: Context, value: unknown, path: PathSegment[]): void {
  const spec = optionalObject(ctx, value, path);
  if (spec === undefined) return;
  for (const field of ['initContainers', 'containers'] as const) {
    const containers = optionalArray(ctx, spec[field], [...path, field]) ?? [];
    containers.forEach((item, i) => {
      const containerPath = [...path, field, i];
      const container = optionalObject(ctx, item, containerPath);
      if (container === undefined) return;
      validateContainerPorts(ctx, container.ports, [...containerPath, 'ports']);
    });
  }
}

/** validateContainerPorts: names valid and unique per container, numbers in range, protocols known. */
function validateContainerPorts(ctx: Context, value: unknown, path: PathSegment[]): void {
  const ports = optionalArray(ctx, value, path);
  if (ports === undefined) return;
  const names = new Set<string>();
  ports.forEach((item, i) => {
    const portPath = [...path, i];
    const port = optionalObject(ctx, item, portPath) ?? {};
    const namePath = [...portPath, 'name'];
    const name = optionalString(ctx, port.name, namePath) ?? '';
    if (name !== '') {
      const problems = isValidPortName(name);
      for (const msg of problems) emit(ctx, 'pod-invalid-port-name', namePath, invalid(name, msg));
      if (problems.length === 0 && names.has(name)) {
        emit(ctx, 'pod-duplicate-port-name', namePath, `Duplicate value: ${goQuote(name)}`);
      }
      names.add(name);
    }
    const containerPortPath = [...portPath, 'containerPort'];
    const containerPort = optionalInt32(ctx, port.containerPort, containerPortPath);
    if (containerPort === undefined || containerPort === 0) {
      // A wrong type was reported already; an absent or zero port is a missing one.
      if (containerPort === 0 || !present(port.containerPort)) {
        emit(ctx, 'pod-container-port-required', containerPortPath, required(''));
      }
    } else {
      for (const msg of isValidPortNum(containerPort)) {
        emit(ctx, 'pod-container-port-range', containerPortPath, invalid(containerPort, msg));
      }
    }
    const hostPortPath = [...portPath, 'hostPort'];
    const hostPort = optionalInt32(ctx, port.hostPort, hostPortPath);
    if (hostPort !== undefined && hostPort !== 0) {
      for (const msg of isValidPortNum(hostPort)) {
        emit(ctx, 'pod-host-port-range', hostPortPath, invalid(hostPort, msg));
      }
    }
    const protocolPath = [...portPath, 'protocol'];
    // An absent protocol is defaulted to TCP before validation runs.
    const protocol = optionalString(ctx, port.protocol, protocolPath);
    if (
      protocol !== undefined &&
      protocol !== '' &&
      !(SUPPORTED_PORT_PROTOCOLS as readonly string[]).includes(protocol)
    ) {
      emit(ctx, 'pod-port-protocol', protocolPath, notSupported(protocol, SUPPORTED_PORT_PROTOCOLS));
    }
  });
}
