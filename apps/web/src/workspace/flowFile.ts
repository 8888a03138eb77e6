/** Bytes read from the start of a file to tell flow records from manifests. */
const SNIFF_BYTES = 64 * 1024;

/** Names worth reading the start of: YAML is always a manifest, other names are never flows. */
const FLOW_CANDIDATE = /\.(json|jsonl|ndjson|csv|log|txt)$/i;

/** Keys, compared without case or underscores, that only flow records have. */
const HUBBLE_KEYS = ['l4', 'trafficdirection', 'isreply', 'eventtype'];
const CALICO_KEYS = ['sourcenameaggr', 'destnameaggr', 'destport', 'sourcenamespace', 'destnamespace'];

function keysOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.keys(value).map((k) => k.toLowerCase().replaceAll('_', ''));
}

function isFlowObject(object: Record<string, unknown>): boolean {
  // A manifest names its kind; a flow record never does.
  if ('apiVersion' in object || 'kind' in object) return false;
  const nested = object.flow ?? object.Flow ?? object.Key ?? object.key;
  const keys = new Set([...keysOf(object), ...keysOf(nested)]);
  const hubble = HUBBLE_KEYS.some((k) => keys.has(k)) && (keys.has('source') || keys.has('ip'));
  return hubble || CALICO_KEYS.filter((k) => keys.has(k)).length >= 2;
}

function isFlowCsv(line: string): boolean {
  const cells = line.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  if (cells.length < 4) return false;
  if (cells.includes('src') && cells.includes('dst')) return true;
  // A file without a header: src,dst,protocol,port,...
  return /^(tcp|udp|sctp)$/.test(cells[2]!) && /^\d+$/.test(cells[3]!);
}

/**
 * True when the text starts like a flow file the observed-traffic reader understands: a JSON line
 * of a Hubble flow (`hubble observe -o json`) or of a Calico flow log, or a CSV flow table. Told
 * by content, so a flow log saved as `.json` is not read as manifests (and a manifest never as
 * flows: it names its `kind`; a pretty-printed JSON manifest starts with a lone `{`).
 */
export function looksLikeFlows(head: string): boolean {
  for (const raw of head.split('\n')) {
    let line = raw.trim();
    if (line === '' || line === '[' || line.startsWith('#')) continue;
    if (!line.startsWith('{')) return isFlowCsv(line);
    if (line.endsWith(',')) line = line.slice(0, -1);
    try {
      const value: unknown = JSON.parse(line);
      return typeof value === 'object' && value !== null && isFlowObject(value as Record<string, unknown>);
    } catch {
      return false;
    }
  }
  return false;
}

/** Reads the start of a file (never the whole of it: a flow file may be 1 GB) and tells whether it holds flows. */
export async function isFlowFile(file: Blob & { name: string }): Promise<boolean> {
  if (!FLOW_CANDIDATE.test(file.name)) return false;
  const head = await file.slice(0, SNIFF_BYTES).text();
  // The last line may be cut by the slice: only complete lines are judged (unless it is all there is).
  const cut = file.size > SNIFF_BYTES ? head.slice(0, Math.max(head.lastIndexOf('\n'), 0)) : head;
  return looksLikeFlows(cut === '' ? head : cut);
}
