import { type ConnectionChange, formatConnectionSet, type Peer } from '@netpol-atlas/evaluator';
import { optionValue, type ParsedArgs, UsageError } from '../args.ts';
import { renderDiff } from '../format/diff.ts';
import type { DiffLine, DiffReport } from '../format/types.ts';
import type { CliIO } from '../io.ts';
import { loadWorkspace } from '../load.ts';
import { diffFlows } from './flowsDiff.ts';
import { flowsOption } from './flowsInput.ts';
import { clusterOptions, writeOutput } from './shared.ts';

const DIFF_FORMATS = ['txt', 'csv', 'md', 'dot'] as const;

/** `netpol diff --dir1 OLD --dir2 NEW`: how connectivity changes between two sets of manifests. */
export async function diffCommand(io: CliIO, args: ParsedArgs): Promise<number> {
  const format = optionValue(args, 'output') ?? 'txt';
  // With --flows the output is the observed flows' report, in its own formats (checked there).
  const flows = flowsOption(args);
  if (!flows && !(DIFF_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `unsupported output format "${format}" for diff; use one of ${DIFF_FORMATS.join(', ')}`,
    );
  }
  const dir1 = optionValue(args, 'dir1');
  const dir2 = optionValue(args, 'dir2');
  if (!dir1 || !dir2) throw new UsageError('diff needs both --dir1 (before) and --dir2 (after)');
  const refNames = (optionValue(args, 'ref-names') ?? 'dir1,dir2').split(',');
  if (refNames.length !== 2 || refNames.some((n) => n === '')) {
    throw new UsageError('--ref-names takes two names separated by a comma, e.g. before,after');
  }
  const options = clusterOptions(args);
  const before = await loadWorkspace(io, [dir1], options);
  const after = await loadWorkspace(io, [dir2], options);
  if (!before.ok || !after.ok) return 1;
  if (flows) {
    const code = await diffFlows(io, args, flows, before.workspace, after.workspace, options);
    return before.inputErrors.length > 0 || after.inputErrors.length > 0 ? 1 : code;
  }
  const { diff } = after.workspace.diff(before.workspace)!;
  const report: DiffReport = {
    lines: diff.changes.map(toLine),
    peers: diff.peers.map(({ peer, status }) => ({ ...peerFields(peer), status })),
    refNames: refNames as [string, string],
    unchanged: diff.unchanged.map(({ src, dst, conn }) => ({
      src: src.id,
      dst: dst.id,
      conn: formatConnectionSet(conn),
    })),
  };
  await writeOutput(io, args, renderDiff(report, format as (typeof DIFF_FORMATS)[number]));
  return before.inputErrors.length > 0 || after.inputErrors.length > 0 ? 1 : 0;
}

function peerFields(peer: Peer): Omit<DiffReport['peers'][number], 'status'> {
  return peer.type === 'workload'
    ? { id: peer.id, kind: 'workload', namespace: peer.namespace, name: `${peer.name}[${peer.kind}]` }
    : { id: peer.id, kind: 'external' };
}

function toLine(change: ConnectionChange): DiffLine {
  const changed = [change.src, change.dst].filter(
    (p, i) => p.type === 'workload' && (i === 0 ? change.srcStatus : change.dstStatus) !== 'persistent',
  );
  const verb = change.type === 'added' ? 'added' : 'removed';
  const info = changed.length === 0 ? '' : `workload ${changed.map((p) => p.id).join(' and ')} ${verb}`;
  return {
    diffType: change.type,
    src: change.src.id,
    dst: change.dst.id,
    before: change.before ? formatConnectionSet(change.before) : 'No Connections',
    after: change.after ? formatConnectionSet(change.after) : 'No Connections',
    info,
    ingressController: false,
  };
}
