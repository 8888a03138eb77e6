import { type GraphFilters, NO_FILTERS } from '../graph/index.ts';
import { asNodeId, edgeId, type NodeId, type Protocol, parsePolicyRef } from '../model/index.ts';
import type { MainView, Selection, SidePanel } from '../store/index.ts';

/**
 * The part of the view a link can point at: what is selected, how the graph is narrowed, which
 * side panel and which main view are open. It names peers and policies, never document text: a
 * workspace travels only in a share link (`#share=…`), whose parameter these keys never clash with.
 */
export interface ViewLink {
  selection: Selection;
  filters: GraphFilters;
  panel: SidePanel;
  main: MainView;
}

/** A parameter of a link that was not understood; the rest of the link still applies. */
export interface LinkDiagnostic {
  code: 'link.bad-value' | 'link.incomplete-edge';
  message: string;
  /** The URL parameter concerned. */
  field: string;
}

export const DEFAULT_VIEW_LINK: ViewLink = {
  selection: undefined,
  filters: NO_FILTERS,
  panel: 'details',
  main: 'graph',
};

/** Every parameter this module owns, in the order links are written. */
export const VIEW_LINK_KEYS = [
  'node',
  'from',
  'to',
  'policy',
  'hide',
  'label',
  'proto',
  'port',
  'external',
  'focus',
  'panel',
  'view',
] as const;

const PANELS: readonly SidePanel[] = ['details', 'editor', 'problems', 'findings'];
const VIEWS: readonly MainView[] = ['graph', 'connections', 'matrix'];
const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/**
 * Writes the view as URL parameters (no leading `#`), leaving out everything at its default, so
 * the untouched view has an empty link. `keep` carries parameters owned by others (a share) along.
 */
export function encodeViewLink(link: ViewLink, keep?: URLSearchParams): string {
  const params = new URLSearchParams();
  for (const [key, value] of keep ?? []) {
    if (!(VIEW_LINK_KEYS as readonly string[]).includes(key)) params.append(key, value);
  }
  const { selection, filters } = link;
  if (selection?.kind === 'node') params.set('node', selection.id);
  if (selection?.kind === 'edge') {
    params.set('from', selection.source);
    params.set('to', selection.target);
  }
  if (selection?.kind === 'policy') params.set('policy', selection.id);
  // Namespace names are DNS labels, so a comma never occurs inside one.
  if (filters.hiddenNamespaces.length > 0) params.set('hide', [...filters.hiddenNamespaces].sort().join(','));
  if (filters.label.trim() !== '') params.set('label', filters.label);
  if (filters.protocol !== 'any') params.set('proto', filters.protocol);
  if (filters.port !== undefined) params.set('port', String(filters.port));
  if (!filters.showExternal) params.set('external', 'off');
  if (filters.focus !== undefined) params.set('focus', filters.focus);
  if (link.panel !== DEFAULT_VIEW_LINK.panel) params.set('panel', link.panel);
  if (link.main !== DEFAULT_VIEW_LINK.main) params.set('view', link.main);
  // `URLSearchParams` writes spaces as `+`; `%20` reads the same everywhere and survives chat tools.
  return params.toString().replace(/\+/g, '%20');
}

/** True when the hash carries any parameter of a view link. */
export function hasViewLink(hash: string): boolean {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return VIEW_LINK_KEYS.some((key) => params.has(key));
}

/**
 * Reads a view from a location hash. Undefined when the hash has none of its parameters (the view
 * is then left alone); otherwise the view it names, unnamed parts at their defaults, and a
 * diagnostic for each value that was not understood and left out. Never throws.
 */
export function decodeViewLink(hash: string): { value: ViewLink | undefined; diagnostics: LinkDiagnostic[] } {
  const diagnostics: LinkDiagnostic[] = [];
  if (!hasViewLink(hash)) return { value: undefined, diagnostics };
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const text = (key: string) => {
    const value = params.get(key);
    return value === null || value.trim() === '' ? undefined : value;
  };
  const bad = (field: string, message: string) =>
    diagnostics.push({ code: 'link.bad-value', field, message });

  // Ids are read through the id module: one that is no id of its kind selects nothing.
  const nodeAt = (key: string): NodeId | undefined => {
    const value = text(key);
    const id = value === undefined ? undefined : asNodeId(value);
    if (value !== undefined && id === undefined)
      bad(key, `"${value}" names no workload, namespace (ns:name) or address range.`);
    return id;
  };
  let selection: Selection;
  const from = nodeAt('from');
  const to = nodeAt('to');
  if (from !== undefined && to !== undefined)
    selection = { kind: 'edge', id: edgeId(from, to), source: from, target: to };
  else if (
    (from !== undefined || to !== undefined) &&
    !diagnostics.some((d) => d.field === 'from' || d.field === 'to')
  )
    diagnostics.push({
      code: 'link.incomplete-edge',
      field: from === undefined ? 'from' : 'to',
      message: 'The link names only one end of a connection, so no connection is selected.',
    });
  const node = nodeAt('node');
  const policyText = text('policy');
  const policy = policyText === undefined ? undefined : parsePolicyRef(policyText);
  if (policyText !== undefined && policy === undefined)
    bad('policy', `"${policyText}" names no policy (namespace/name, or Kind/name of a cluster policy).`);
  if (selection === undefined && node !== undefined) selection = { kind: 'node', id: node };
  if (selection === undefined && policy !== undefined) selection = { kind: 'policy', id: policy.id };

  const filters: GraphFilters = { ...NO_FILTERS };
  const hide = text('hide');
  if (hide !== undefined) {
    filters.hiddenNamespaces = [...new Set(hide.split(',').map((n) => n.trim()))]
      .filter((n) => n !== '')
      .sort();
  }
  filters.label = params.get('label') ?? '';
  const proto = text('proto');
  if (proto !== undefined) {
    const upper = proto.toUpperCase() as Protocol;
    if (PROTOCOLS.includes(upper)) filters.protocol = upper;
    else bad('proto', `Unknown protocol "${proto}": expected TCP, UDP or SCTP.`);
  }
  const port = text('port');
  if (port !== undefined) {
    const n = Number(port);
    if (/^\d+$/.test(port) && n >= 1 && n <= 65535) filters.port = n;
    else bad('port', `"${port}" is not a port number (1-65535).`);
  }
  const external = text('external');
  if (external === 'off') filters.showExternal = false;
  else if (external !== undefined && external !== 'on')
    bad('external', `"${external}" should be "on" or "off".`);
  filters.focus = text('focus');

  let panel = DEFAULT_VIEW_LINK.panel;
  const panelText = text('panel');
  if (panelText !== undefined) {
    if ((PANELS as readonly string[]).includes(panelText)) panel = panelText as SidePanel;
    else bad('panel', `Unknown panel "${panelText}": expected ${PANELS.join(', ')}.`);
  }
  let main = DEFAULT_VIEW_LINK.main;
  const viewText = text('view');
  if (viewText !== undefined) {
    if ((VIEWS as readonly string[]).includes(viewText)) main = viewText as MainView;
    else bad('view', `Unknown view "${viewText}": expected ${VIEWS.join(', ')}.`);
  }
  return { value: { selection, filters, panel, main }, diagnostics };
}
