import {
  type Explanation,
  formatConnectionSet,
  isEmptyConnections,
  parseProtocol,
  type SideExplanation,
} from '@netpol-atlas/evaluator';
import { optionValue, type ParsedArgs, UsageError } from '../args.ts';
import type { CliIO } from '../io.ts';
import { loadWorkspace } from '../load.ts';
import { clusterOptions, inputPaths, writeOutput } from './shared.ts';

/** `netpol explain --src A --dst B [--port 80 [--protocol TCP]]`: why one connection is allowed or denied. */
export async function explainCommand(io: CliIO, args: ParsedArgs): Promise<number> {
  const srcText = optionValue(args, 'src');
  const dstText = optionValue(args, 'dst');
  if (!srcText || !dstText)
    throw new UsageError('explain needs --src and --dst (ns/name, ns/name[Kind] or an IPv4 address)');
  const portText = optionValue(args, 'port');
  const protocol = parseProtocol(optionValue(args, 'protocol')?.toUpperCase() ?? 'TCP');
  if (!protocol) throw new UsageError('--protocol must be TCP, UDP or SCTP');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    throw new UsageError(`--port must be a number from 1 to 65535, not "${portText}"`);
  }
  const loaded = await loadWorkspace(io, inputPaths(args), clusterOptions(args));
  if (!loaded.ok) return 1;
  const { workspace } = loaded;
  const src = workspace.peer(srcText);
  const dst = workspace.peer(dstText);
  for (const [text, peer] of [
    [srcText, src],
    [dstText, dst],
  ] as const) {
    if (!peer) {
      io.stderr(`Error: no single workload or address matches "${text}"\n`);
      return 1;
    }
  }
  const { explanation } = workspace.explain(src!, dst!, port === undefined ? undefined : { protocol, port })!;
  await writeOutput(
    io,
    args,
    optionValue(args, 'output') === 'json'
      ? JSON.stringify(toJson(explanation), null, 2)
      : formatExplanation(explanation),
  );
  // Errors in the input come first: the verdict is about what the API server would admit.
  if (loaded.inputErrors.length > 0) return 1;
  return explanation.verdict === 'allowed' ? 0 : 3;
}

/** `file:line` of a source range, or the file alone. */
function whereText(file: string, range: { start: { line: number } } | undefined): string {
  return range ? `${file}:${range.start.line}` : file;
}

const ACTION_VERBS = { Accept: 'accepts', Deny: 'denies', Pass: 'passes on' } as const;

const PASSED_OVER_REASONS = {
  peer: 'no rule selects the other end',
  ports: 'its rules select the other end on other ports',
  decided: 'what its rules match was decided before it',
  'no-rules': 'no rules in this direction',
} as const;

/** The tier-by-tier decision chain of one side. */
function formatTiers(side: SideExplanation): string[] {
  const chain = side.tiers;
  if (!chain) return [];
  const lines: string[] = [];
  for (const d of chain.decisions) {
    const rule = d.ruleName ? `[${d.rule}] "${d.ruleName}"` : `[${d.rule}]`;
    lines.push(
      `  ${d.tier} tier: ${d.policy} priority ${d.priority} ${d.direction.toLowerCase()}${rule} ${ACTION_VERBS[d.action]} ${formatConnectionSet(d.conn)}  (${whereText(d.file, d.range)})`,
    );
    if (d.tiedWith.length > 0)
      lines.push(
        `    note: same priority as ${d.tiedWith.join(', ')}: the order between them is implementation-defined`,
      );
  }
  if (!isEmptyConnections(chain.networkPolicyReached)) {
    lines.push(
      chain.networkPolicyIsolates
        ? `  NetworkPolicy decides ${formatConnectionSet(chain.networkPolicyReached)}`
        : `  NetworkPolicy: ${side.subject.id} is not isolated for ${side.direction}`,
    );
  }
  if (!isEmptyConnections(chain.defaulted)) {
    lines.push(`  default: ${formatConnectionSet(chain.defaulted)} allowed (no tier decided it)`);
  }
  for (const p of chain.passedOver) {
    lines.push(
      `  passed over: ${p.policy} (${p.tier} tier, priority ${p.priority}): ${PASSED_OVER_REASONS[p.reason]}  (${whereText(p.file, p.range)})`,
    );
  }
  return lines;
}

function formatSide(side: SideExplanation): string[] {
  const lines = [
    `${side.direction} of ${side.subject.id}: ${side.allows ? 'allows' : 'denies'}`,
    `  ${side.summary}`,
    ...formatTiers(side),
  ];
  for (const m of side.allowedBy) {
    const where = m.range ? `${m.file}:${m.range.start.line}` : m.file;
    const peer = m.peer === undefined ? 'any peer' : `peer ${m.peer}`;
    const ports = m.ports.length === 0 ? 'any port' : `port entries ${m.ports.join(', ')}`;
    lines.push(
      `  allowed by ${m.policy} ${m.direction.toLowerCase()}[${m.rule}] (${peer}, ${ports}) -> ${formatConnectionSet(m.conn)}  (${where})`,
    );
    if (m.caveat) lines.push(`    note: ${m.caveat}`);
  }
  for (const miss of side.nearMisses) {
    const where = miss.range ? `${miss.file}:${miss.range.start.line}` : miss.file;
    const what =
      miss.reason === 'ports'
        ? 'its peers match but its ports do not'
        : 'its ports match but its peers do not';
    lines.push(
      `  near miss: ${miss.policy} ${miss.direction.toLowerCase()}[${miss.rule}]: ${what}  (${where})`,
    );
  }
  return lines;
}

/** Human-readable explanation. */
export function formatExplanation(e: Explanation): string {
  const what = e.query ? `${e.query.protocol} ${e.query.port}` : formatConnectionSet(e.conn);
  return [
    `${e.src.id} => ${e.dst.id}: ${e.verdict.toUpperCase()}${e.query ? ` on ${what}` : ` (${what})`}`,
    '',
    ...formatSide(e.egress),
    '',
    ...formatSide(e.ingress),
    ...(e.notes.length > 0 ? ['', ...e.notes.map((n) => `note: ${n}`)] : []),
    '',
  ].join('\n');
}

function toJson(e: Explanation): unknown {
  const side = (s: SideExplanation) => ({
    direction: s.direction,
    subject: s.subject.id,
    isolated: s.isolated,
    policies: s.policies,
    allows: s.allows,
    conn: formatConnectionSet(s.conn),
    summary: s.summary,
    allowedBy: s.allowedBy.map((m) => ({ ...m, conn: formatConnectionSet(m.conn) })),
    nearMisses: s.nearMisses,
    ...(s.tiers
      ? {
          tiers: {
            decisions: s.tiers.decisions.map((d) => ({ ...d, conn: formatConnectionSet(d.conn) })),
            passedOver: s.tiers.passedOver,
            networkPolicy: {
              reached: formatConnectionSet(s.tiers.networkPolicyReached),
              isolates: s.tiers.networkPolicyIsolates,
            },
            defaulted: formatConnectionSet(s.tiers.defaulted),
          },
        }
      : {}),
  });
  return {
    src: e.src.id,
    dst: e.dst.id,
    query: e.query ?? null,
    verdict: e.verdict,
    conn: formatConnectionSet(e.conn),
    egress: side(e.egress),
    ingress: side(e.ingress),
    notes: e.notes,
  };
}
