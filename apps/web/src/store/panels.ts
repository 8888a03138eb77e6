/** The two side panels around the graph: the filters on the left, details/YAML/problems on the right. */
export type PanelName = 'filters' | 'side';

export interface PanelState {
  open: boolean;
  /** Width in CSS pixels when open; the stylesheet still caps it to a share of the window. */
  width: number;
}

export type PanelLayout = Record<PanelName, PanelState>;

/** Narrowest and widest a panel may be dragged: narrower is unreadable, wider leaves no graph. */
export const PANEL_LIMITS: Record<PanelName, { min: number; max: number; default: number }> = {
  filters: { min: 180, max: 480, default: 250 },
  side: { min: 300, max: 900, default: 440 },
};

/** Below this window width a first visit starts with the filters hidden: the graph needs the room. */
export const NARROW_WINDOW = 1200;

/** The localStorage key; versioned so a future shape is not misread. */
export const PANELS_STORAGE_KEY = 'netpol-atlas.panels.v1';

/** The layout of a first visit, for a window `windowWidth` pixels wide. */
export function defaultPanels(windowWidth: number): PanelLayout {
  return {
    filters: { open: windowWidth >= NARROW_WINDOW, width: PANEL_LIMITS.filters.default },
    side: { open: true, width: PANEL_LIMITS.side.default },
  };
}

/** Keeps a width inside the panel's limits (and whole pixels). */
export function clampPanelWidth(panel: PanelName, width: number): number {
  const { min, max } = PANEL_LIMITS[panel];
  if (!Number.isFinite(width)) return PANEL_LIMITS[panel].default;
  return Math.round(Math.min(max, Math.max(min, width)));
}

function parsePanel(panel: PanelName, value: unknown, fallback: PanelState): PanelState {
  if (typeof value !== 'object' || value === null) return fallback;
  const { open, width } = value as { open?: unknown; width?: unknown };
  return {
    open: typeof open === 'boolean' ? open : fallback.open,
    width: typeof width === 'number' ? clampPanelWidth(panel, width) : fallback.width,
  };
}

/**
 * Reads a stored layout. Storage is outside the app's control (older versions, hand edits,
 * another tab), so anything unreadable falls back to the defaults field by field, never throws.
 */
export function parsePanels(raw: string | null, windowWidth: number): PanelLayout {
  const fallback = defaultPanels(windowWidth);
  if (raw === null) return fallback;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return fallback;
  }
  if (typeof value !== 'object' || value === null) return fallback;
  const stored = value as Partial<Record<PanelName, unknown>>;
  return {
    filters: parsePanel('filters', stored.filters, fallback.filters),
    side: parsePanel('side', stored.side, fallback.side),
  };
}

/** The layout remembered by this browser, or the first-visit one (no storage in tests and workers). */
export function loadPanels(): PanelLayout {
  const width = typeof window === 'undefined' ? NARROW_WINDOW : window.innerWidth;
  try {
    return parsePanels(globalThis.localStorage?.getItem(PANELS_STORAGE_KEY) ?? null, width);
  } catch {
    // Storage can be disabled (privacy settings): the defaults still work.
    return defaultPanels(width);
  }
}

/** Remembers the layout; a browser that refuses storage just forgets it. */
export function savePanels(layout: PanelLayout): void {
  try {
    globalThis.localStorage?.setItem(PANELS_STORAGE_KEY, JSON.stringify(layout));
  } catch {
    // Nothing to do: the layout is a convenience, not data.
  }
}
