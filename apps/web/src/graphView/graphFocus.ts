import { createContext, type RefCallback, useCallback, useContext, useEffect, useRef } from 'react';
import { createStore, type StoreApi, useStore as useZustand } from 'zustand';

/** A graph item the keyboard can stand on: a node, or one connection of the node it came from. */
export type NavItem = { kind: 'node'; id: string } | { kind: 'edge'; id: string; from: string | undefined };

/**
 * The graph's roving tabindex: exactly one item (the active one if it is drawn, else the first
 * drawn node in reading order) is in the Tab order, so the whole graph is one Tab stop. One
 * store per graph view (created by GraphView, passed by context): nothing global.
 */
export interface GraphFocusState {
  active: NavItem | undefined;
  /** Node ids in reading order: where Tab enters when nothing is active. */
  order: readonly string[];
  /** Items drawn right now (React Flow draws only what is on screen). */
  mounted: ReadonlySet<string>;
  /** The one item with tabIndex 0, derived from the three above. */
  tabbable: string | undefined;
  /** Bumped when the keyboard moves: the item that becomes active then takes the focus. */
  focusRequest: number;
}

export interface GraphFocusActions {
  /** Makes an item active; `focus` also moves the browser's focus to it (keyboard moves). */
  activate(item: NavItem, focus: boolean): void;
  setOrder(order: readonly string[]): void;
  mount(key: string): void;
  unmount(key: string): void;
}

export type GraphFocusStore = StoreApi<GraphFocusState & GraphFocusActions>;

/** The key an item registers under: node and edge ids never collide. */
export function navKey(kind: NavItem['kind'], id: string): string {
  return `${kind}:${id}`;
}

function tabbableOf(state: Pick<GraphFocusState, 'active' | 'order' | 'mounted'>): string | undefined {
  if (state.active) {
    const key = navKey(state.active.kind, state.active.id);
    if (state.mounted.has(key)) return key;
  }
  for (const id of state.order) if (state.mounted.has(navKey('node', id))) return navKey('node', id);
  return undefined;
}

export function createGraphFocusStore(): GraphFocusStore {
  // Mounting happens in bursts (panning draws hundreds of nodes): the tab stop is recomputed
  // once per burst, not once per node.
  let scheduled = false;
  const mounted = new Set<string>();
  return createStore<GraphFocusState & GraphFocusActions>()((set, get) => {
    const refresh = () => {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        const next = new Set(mounted);
        set({ mounted: next, tabbable: tabbableOf({ ...get(), mounted: next }) });
      });
    };
    return {
      active: undefined,
      order: [],
      mounted: new Set(),
      tabbable: undefined,
      focusRequest: 0,
      activate(item, focus) {
        set((s) => ({
          active: item,
          tabbable: tabbableOf({ ...s, active: item }),
          focusRequest: focus ? s.focusRequest + 1 : s.focusRequest,
        }));
      },
      setOrder(order) {
        set((s) => ({ order, tabbable: tabbableOf({ ...s, order }) }));
      },
      mount(key) {
        mounted.add(key);
        refresh();
      },
      unmount(key) {
        mounted.delete(key);
        refresh();
      },
    };
  });
}

export const GraphFocusContext = createContext<GraphFocusStore | undefined>(undefined);

/**
 * What a node or an edge label spreads onto its focusable element: its tab stop (0 or -1),
 * the data attributes GraphView's key handler reads, and focus tracking, so a click or a Tab
 * makes it the active item too.
 */
export function useGraphItem(kind: NavItem['kind'], id: string, from?: string) {
  const store = useContext(GraphFocusContext);
  if (!store) throw new Error('useGraphItem is for nodes and edges inside GraphView');
  const key = navKey(kind, id);
  const tabbable = useZustand(store, (s) => s.tabbable === key);
  const active = useZustand(store, (s) => s.active?.kind === kind && s.active.id === id);
  const request = useZustand(store, (s) => s.focusRequest);
  const element = useRef<HTMLElement | null>(null);
  useEffect(() => {
    store.getState().mount(key);
    return () => store.getState().unmount(key);
  }, [store, key]);
  // A keyboard move asked for the focus: the item that is now active takes it (also when it
  // was only drawn because of the move).
  useEffect(() => {
    if (active && request > 0 && element.current && document.activeElement !== element.current)
      element.current.focus({ preventScroll: true });
  }, [active, request]);
  const ref: RefCallback<HTMLElement> = useCallback((el) => {
    element.current = el;
  }, []);
  return {
    active,
    props: {
      ref,
      tabIndex: tabbable ? 0 : -1,
      'data-nav-kind': kind,
      'data-nav-id': id,
      'data-nav-from': from,
      onFocus: () => {
        const current = store.getState().active;
        if (current?.kind !== kind || current.id !== id)
          store.getState().activate(kind === 'node' ? { kind, id } : { kind, id, from }, false);
      },
    },
  };
}
