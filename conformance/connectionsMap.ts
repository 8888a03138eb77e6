// The conformance suite's own formatter: netpol-analyzer's expected outputs include its pod-level
// connections map, which no command of ours prints, so it lives with the suite that reads it.
import {
  type Analysis,
  containsPort,
  formatConnectionSet,
  isAllConnections,
  type Protocol,
} from '@netpol-atlas/evaluator';
import { sortGo } from '../apps/cli/src/format/common.ts';

/**
 * netpol-analyzer's pod-level connections map: one line per ordered pod pair, a pod to itself
 * included. With `query`, the verdict for that protocol/port; with an empty query, whether every
 * connection is allowed (only rules without ports then match); without it, the connection set.
 */
export function formatConnectionsMap(
  analysis: Analysis,
  query?: { protocol: Protocol; port: number } | 'any-port',
): string {
  const lines: string[] = [];
  const pods = analysis.workloads;
  for (const src of pods) {
    for (const dst of pods) {
      const conn = analysis.between(src.index, dst.index);
      let verdict: string;
      if (query === undefined) verdict = formatConnectionSet(conn);
      else if (query === 'any-port') verdict = String(isAllConnections(conn));
      else verdict = String(containsPort(conn, query.protocol, query.port));
      lines.push(
        `src: ${src.namespace}/${src.name}, dest: ${dst.namespace}/${dst.name}, allowed conns: ${verdict}`,
      );
    }
  }
  return sortGo(lines).join('\n');
}
