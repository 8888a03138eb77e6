import { countOf, type FieldProblem, portOf, protocolOf, timeOf } from './fields.ts';
import type { RecordBody } from './hubble.ts';
import type { FlowEndpoint, ObservedVerdict } from './types.ts';

/** The columns of the simple CSV format, in their default order (a header may reorder them). */
export const CSV_COLUMNS = ['src', 'dst', 'protocol', 'port', 'count', 'last_seen'] as const;

/** Optional columns a header may add. */
const EXTRA_COLUMNS = ['first_seen', 'verdict'] as const;

type Column = (typeof CSV_COLUMNS)[number] | (typeof EXTRA_COLUMNS)[number];

/** Column positions, from a header or the default order. */
export type CsvLayout = Partial<Record<Column, number>> & { width: number };

export const DEFAULT_LAYOUT: CsvLayout = {
  ...Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, i])),
  width: CSV_COLUMNS.length,
};

/** Splits one CSV line (RFC 4180 quoting: `"a,b"`, `""` for a quote). */
export function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',').map((c) => c.trim());
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** A header row: its cells name the columns (`src` and `dst` at least). */
export function csvHeader(cells: readonly string[]): { layout: CsvLayout; unknown: string[] } | undefined {
  const names = cells.map((c) => c.toLowerCase().replace(/[\s-]/g, '_'));
  if (!names.includes('src') || !names.includes('dst')) return undefined;
  const layout: CsvLayout = { width: cells.length };
  const unknown: string[] = [];
  names.forEach((name, i) => {
    if (
      (CSV_COLUMNS as readonly string[]).includes(name) ||
      (EXTRA_COLUMNS as readonly string[]).includes(name)
    ) {
      layout[name as Column] = i;
    } else unknown.push(cells[i]!);
  });
  return { layout, unknown };
}

/** `ns/name[Kind]`, `ns/name`, or an address. */
function endpointOf(text: string): FlowEndpoint | undefined {
  if (text === '') return undefined;
  if (/^[0-9.]+$/.test(text) || text.includes(':')) return { ip: text };
  const kind = /^([^/]+)\/([^[\]/]+)\[([A-Za-z]+)\]$/.exec(text);
  if (kind) return { workloadId: text, namespace: kind[1]!, name: kind[2]! };
  const slash = text.indexOf('/');
  if (slash > 0 && slash < text.length - 1 && text.indexOf('/', slash + 1) < 0) {
    return { namespace: text.slice(0, slash), name: text.slice(slash + 1) };
  }
  return undefined;
}

const VERDICTS: Readonly<Record<string, ObservedVerdict>> = {
  forwarded: 'forwarded',
  allow: 'forwarded',
  allowed: 'forwarded',
  dropped: 'dropped',
  deny: 'dropped',
  denied: 'dropped',
};

/** Reads one CSV row: src, dst, protocol, port, count, last_seen (count and times optional). */
export function csvRecord(cells: readonly string[], layout: CsvLayout): RecordBody | FieldProblem | 'skip' {
  const cell = (c: Column) => (layout[c] === undefined ? '' : (cells[layout[c]!] ?? ''));
  const src = endpointOf(cell('src'));
  const dst = endpointOf(cell('dst'));
  if (!src || !dst) {
    const field = src ? 'dst' : 'src';
    return {
      code: cell(field) === '' ? 'missing-field' : 'invalid-field',
      field,
      message: `${field} must be ns/name, ns/name[Kind] or an IP address, not ${JSON.stringify(cell(field))}`,
    };
  }
  const protocolText = cell('protocol') || 'TCP';
  const protocol = protocolOf(protocolText);
  if (!protocol) return 'skip';
  const port = portOf(cell('port'));
  if (port === undefined) {
    return {
      code: 'invalid-field',
      field: 'port',
      message: `port must be a number 1-65535, not ${JSON.stringify(cell('port'))}`,
    };
  }
  const countText = cell('count');
  const count = countText === '' ? 1 : countOf(countText);
  if (count === undefined) {
    return {
      code: 'invalid-field',
      field: 'count',
      message: `count must be a whole number, not ${JSON.stringify(countText)}`,
    };
  }
  const lastText = cell('last_seen');
  const last = lastText === '' ? undefined : timeOf(lastText);
  if (lastText !== '' && last === undefined) {
    return {
      code: 'invalid-field',
      field: 'last_seen',
      message: `last_seen must be an RFC 3339 time or seconds since the epoch, not ${JSON.stringify(lastText)}`,
    };
  }
  const firstText = cell('first_seen');
  const first = firstText === '' ? last : timeOf(firstText);
  return {
    src,
    dst,
    protocol,
    port,
    verdict: VERDICTS[cell('verdict').toLowerCase()] ?? 'unknown',
    count,
    ...(last !== undefined ? { firstSeen: first ?? last, lastSeen: last } : {}),
  };
}
