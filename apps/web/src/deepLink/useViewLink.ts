import { useEffect } from 'react';
import { groupId } from '../graph/index.ts';
import type { GraphModel } from '../model/index.ts';
import type { State } from '../store/index.ts';
import { useDerived, useStore } from '../store/index.ts';
import { decodeViewLink, encodeViewLink, type ViewLink } from './viewLink.ts';

/**
 * The hash the page was opened with, read before anything rewrites it: opening a share link clears
 * its `#share=…` from the address bar while the workspace is restored, and a view link may ride
 * along in the same hash.
 */
const openedWith = typeof location === 'undefined' ? '' : location.hash;

/** The view part of the state, as a link names it. */
export function currentViewLink(state: State): ViewLink {
  return {
    selection: state.view.selection,
    filters: state.view.filters,
    panel: state.view.panel,
    main: state.view.main,
  };
}

/** The current view as a hash (with `#`), keeping whatever else the hash carries. */
export function viewLinkHash(state: State, keep: string): string {
  const encoded = encodeViewLink(currentViewLink(state), new URLSearchParams(keep.replace(/^#/, '')));
  return encoded === '' ? '' : `#${encoded}`;
}

function writeHash(hash: string): void {
  if (hash === location.hash || (hash === '' && location.hash === '')) return;
  // replaceState: selecting things must not fill the back button's history.
  history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
}

/** Peer ids the link names that this workspace lacks (`ns:x` stands for namespace x). */
function missingPeers(link: ViewLink, model: GraphModel): string[] {
  const ids = new Set<string>(model.nodes.map((n) => n.id));
  for (const ns of model.namespaces) ids.add(groupId(ns.name));
  const named: string[] =
    link.selection?.kind === 'edge'
      ? [link.selection.source, link.selection.target]
      : link.selection?.kind === 'node'
        ? [link.selection.id]
        : [];
  if (link.filters.focus !== undefined) named.push(link.filters.focus);
  return named.filter((id) => !ids.has(id));
}

/** Makes the view the link names, expanding the namespaces that hide a linked workload. */
function applyLink(link: ViewLink, model: GraphModel, problems: string[]): void {
  const store = useStore.getState();
  const missing = missingPeers(link, model);
  const policyMissing =
    link.selection?.kind === 'policy' && !model.policies.some((p) => p.id === link.selection?.id);
  const namespaceOf = new Map(model.nodes.map((n) => [n.id, n.namespace]));
  const ends =
    link.selection?.kind === 'edge'
      ? [link.selection.source, link.selection.target]
      : link.selection?.kind === 'node'
        ? [link.selection.id]
        : [];
  const expand = new Set(ends.map((id) => namespaceOf.get(id)).filter((ns) => ns !== undefined));
  if (store.view.collapsed.some((ns) => expand.has(ns))) {
    store.setCollapsed(store.view.collapsed.filter((ns) => !expand.has(ns)));
  }
  store.setFilters(link.filters);
  store.select(link.selection);
  store.showPanel(link.panel);
  store.showView(link.main);
  const notes = [...problems];
  if (missing.length > 0)
    notes.push(`The link names ${missing.join(', ')}, which this workspace does not have.`);
  if (policyMissing)
    notes.push(`The link names policy ${link.selection?.id}, which this workspace does not have.`);
  if (notes.length > 0) store.setNotice(`Opened a view link: ${notes.join(' ')}`);
}

function applyHash(hash: string, model: GraphModel): void {
  const { value, diagnostics } = decodeViewLink(hash);
  if (value)
    applyLink(
      value,
      model,
      diagnostics.map((d) => d.message),
    );
}

/**
 * Keeps the address bar's hash in step with the view (selection, filters, side panel, main view),
 * so a reviewer can paste it into a ticket, and opens the view a link names once the workspace's
 * analysis is ready. Mount it where the restored workspace is shown.
 */
export function useViewLink(): void {
  useEffect(() => {
    let applied = false;
    const tryApply = () => {
      if (applied) return;
      const { analysis } = useDerived.getState();
      if (analysis.status !== 'ready' || !analysis.model) return;
      if (analysis.files !== useStore.getState().documents.files) return;
      applied = true;
      // The link in the address bar now, else the one the page was opened with (a share link's
      // view survives its fragment being cleared).
      applyHash(decodeViewLink(location.hash).value ? location.hash : openedWith, analysis.model);
      writeHash(viewLinkHash(useStore.getState(), location.hash));
    };
    tryApply();
    const stopDerived = useDerived.subscribe(tryApply);
    const stopStore = useStore.subscribe((state, previous) => {
      if (!applied) return;
      if (
        state.view.selection === previous.view.selection &&
        state.view.filters === previous.view.filters &&
        state.view.panel === previous.view.panel &&
        state.view.main === previous.view.main
      )
        return;
      writeHash(viewLinkHash(state, location.hash));
    });
    // A link pasted into the address bar of the open page changes only the hash.
    const onHashChange = () => {
      const model = useDerived.getState().analysis.model;
      if (applied && model) applyHash(location.hash, model);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => {
      stopDerived();
      stopStore();
      window.removeEventListener('hashchange', onHashChange);
    };
  }, []);
}
