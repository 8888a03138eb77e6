import { explainAllPairs, type Peer, portRangeConnections, type WorkloadPeer } from '@netpol-atlas/evaluator';
import { optionFlag, optionList, optionValue, type ParsedArgs, UsageError } from '../args.ts';
import { formatPairExplanations, narrowExplanations } from '../format/explain.ts';
import { buildExposureView, exposureTxt, renderListWithExposure } from '../format/exposure.ts';
import { renderList } from '../format/list.ts';
import type { ListReport } from '../format/types.ts';
import type { CliIO } from '../io.ts';
import { loadWorkspace } from '../load.ts';
import { buildListReport, type Focus, matchesWorkload, pairInFocus, parseFocusConn } from '../report.ts';
import { clusterOptions, inputPaths, writeOutput } from './shared.ts';

const LIST_FORMATS = ['txt', 'json', 'csv', 'md', 'dot'] as const;

/** `netpol list`: the allowed connections between every pair of peers. */
export async function listCommand(io: CliIO, args: ParsedArgs): Promise<number> {
  const format = optionValue(args, 'output') ?? 'txt';
  if (!(LIST_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unsupported output format "${format}"; use one of ${LIST_FORMATS.join(', ')}`);
  }
  const focusConnText = optionValue(args, 'focus-conn');
  const focus: Focus = {
    workloads: optionList(args, 'focusworkload'),
    peers: optionList(args, 'focusworkload-peer'),
    direction: parseDirection(optionValue(args, 'focus-direction')),
    conn: focusConnText === undefined ? undefined : parseFocusConn(focusConnText),
  };
  if (focusConnText !== undefined && !focus.conn) {
    throw new UsageError(
      `--focus-conn "${focusConnText}" is not of the form <protocol>-<port>, e.g. tcp-8080`,
    );
  }
  if (focus.peers.length > 0 && focus.workloads.length === 0) {
    throw new UsageError('--focusworkload-peer needs --focusworkload');
  }
  const explain = optionFlag(args, 'explain');
  if (explain && format !== 'txt') {
    throw new UsageError(`--explain supports only the txt output format, not "${format}"`);
  }
  const explainOnly = optionValue(args, 'explain-only');
  if (explainOnly !== undefined && explainOnly !== 'allow' && explainOnly !== 'deny') {
    throw new UsageError(`--explain-only must be allow or deny, not "${explainOnly}"`);
  }
  if (explainOnly !== undefined && !explain) throw new UsageError('--explain-only needs --explain');
  // Upstream ignores --exposure when both focus lists are given.
  const withExposure =
    optionFlag(args, 'exposure') && !(focus.workloads.length > 0 && focus.peers.length > 0);
  const loaded = await loadWorkspace(io, inputPaths(args), clusterOptions(args));
  if (!loaded.ok) return 1;
  const { workspace } = loaded;
  const { analysis } = workspace.connections();
  const isFocus = (p: Peer) => focus.workloads.length === 0 || matchesWorkload(p, focus.workloads);
  const exposureView = (list: ListReport = buildListReport(analysis, focus)) => {
    const { report } = workspace.exposure({
      isFocus: (w: WorkloadPeer) => isFocus(w),
      direction: focus.direction,
      conn: focus.conn,
    });
    // netpol-analyzer prints a named port of no protocol with an empty one (' local-port').
    const anyProtocol = analysis.cluster.options.compat === 'netpol-analyzer' ? '' : 'any';
    return buildExposureView(report, list, anyProtocol);
  };
  if (explain) {
    // The pairs a focused list keeps (see buildListReport), explained.
    const pairs = narrowExplanations(
      explainAllPairs(analysis).filter(({ src, dst }) => pairInFocus(src, dst, focus)),
      {
        only: explainOnly,
        conn: focus.conn && portRangeConnections(focus.conn.protocol, focus.conn.port, focus.conn.port),
      },
    );
    const text = formatPairExplanations(pairs);
    await writeOutput(io, args, withExposure ? [text, '\n', exposureTxt(exposureView())] : text);
    return loaded.inputErrors.length > 0 ? 1 : 0;
  }
  const report = buildListReport(analysis, focus);
  const listFormat = format as (typeof LIST_FORMATS)[number];
  await writeOutput(
    io,
    args,
    withExposure
      ? renderListWithExposure(report, exposureView(report), listFormat)
      : renderList(report, listFormat),
  );
  return loaded.inputErrors.length > 0 ? 1 : 0;
}

function parseDirection(text: string | undefined): Focus['direction'] {
  if (text === undefined) return undefined;
  if (text === 'ingress' || text === 'egress') return text;
  throw new UsageError(`--focus-direction must be ingress or egress, not "${text}"`);
}
