import type { ClusterNetworks, CniProfile } from '@netpol-atlas/evaluator';
import { cidrToInterval, type KubeVersion, parseKubeVersion } from '@netpol-atlas/manifests';
import { optionFlag, optionList, optionValue, type ParsedArgs, UsageError } from '../args.ts';
import type { CliIO } from '../io.ts';
import type { LoadOptions } from '../load.ts';
import { writeText } from '../output.ts';

const CNIS: readonly CniProfile[] = [
  'upstream',
  'calico',
  'cilium',
  'antrea',
  'ovn-kubernetes',
  'flannel',
  'kubenet',
];

/** Inputs from `--dirpath` (repeatable) and positional paths; `-` reads stdin. */
export function inputPaths(args: ParsedArgs): string[] {
  const paths = [...(args.options.get('dirpath') ?? []), ...args.positionals];
  if (paths.length === 0) throw new UsageError('no input: pass --dirpath DIR, files, or - for stdin');
  return paths;
}

/** `--kube-version X.Y`: the API server to imitate (undefined: a current one). */
export function kubeVersionOption(args: ParsedArgs): KubeVersion | undefined {
  const text = optionValue(args, 'kube-version');
  if (text === undefined) return undefined;
  const version = parseKubeVersion(text);
  if (version === undefined) {
    throw new UsageError(`--kube-version takes a Kubernetes release such as 1.35, not "${text}"`);
  }
  return version;
}

/** Evaluation options shared by every command. */
export function clusterOptions(args: ParsedArgs): LoadOptions {
  const compat = optionValue(args, 'compat');
  if (compat !== undefined && compat !== 'netpol-analyzer') {
    throw new UsageError(`--compat supports only netpol-analyzer, not "${compat}"`);
  }
  const cni = optionValue(args, 'cni') ?? 'upstream';
  if (!(CNIS as readonly string[]).includes(cni)) {
    throw new UsageError(`--cni must be one of ${CNIS.join(', ')}, not "${cni}"`);
  }
  if (optionFlag(args, 'multiple-networks')) {
    throw new UsageError('--multiple-networks is not supported: netpol-atlas analyses the pod network only');
  }
  const kubeVersion = kubeVersionOption(args);
  return {
    ...(compat ? { compat } : {}),
    ...(kubeVersion ? { validation: { kubeVersion } } : {}),
    cni: cni as CniProfile,
    quiet: optionFlag(args, 'quiet'),
    verbose: optionFlag(args, 'verbose'),
  };
}

/** The options that give the cluster's address ranges (repeatable, or comma-separated). */
export const NETWORK_OPTIONS = ['pod-cidr', 'service-cidr', 'node-cidr'] as const;

/**
 * `--pod-cidr`, `--service-cidr`, `--node-cidr`: the cluster's IPv4 ranges, which the review checks
 * ipBlocks against. Undefined when none is given.
 */
export function networkOptions(args: ParsedArgs): ClusterNetworks | undefined {
  const read = (name: (typeof NETWORK_OPTIONS)[number]) => {
    const list = optionList(args, name).map((v) => v.trim());
    for (const text of list) {
      if (!cidrToInterval(text)) {
        throw new UsageError(`--${name} takes IPv4 CIDRs such as 10.244.0.0/16, not "${text}"`);
      }
    }
    return list;
  };
  const podCidrs = read('pod-cidr');
  const serviceCidrs = read('service-cidr');
  const nodeCidrs = read('node-cidr');
  if (podCidrs.length + serviceCidrs.length + nodeCidrs.length === 0) return undefined;
  return { podCidrs, serviceCidrs, nodeCidrs };
}

/**
 * Writes the result, whole or in pieces, to `-f FILE` or stdout (with backpressure); on stdout a
 * newline ends it (netpol-analyzer's json and dot outputs end without one).
 */
export function writeOutput(io: CliIO, args: ParsedArgs, output: string | Iterable<string>): Promise<void> {
  return writeText(io, output, optionValue(args, 'file') || undefined);
}
