import { type KeyboardEvent, type PointerEvent, type ReactNode, useRef } from 'react';
import {
  PANEL_LIMITS,
  type PanelName,
  selectPanelLayout,
  setPanelOpenAction,
  setPanelWidthAction,
  useStore,
} from '../store/index.ts';

/** How far one arrow key press moves a splitter; Shift moves further. */
const KEY_STEP = 16;
const KEY_STEP_LARGE = 64;

const TITLES: Record<PanelName, string> = { filters: 'filters', side: 'side panel' };

/**
 * A side panel that can be hidden and resized. The splitter follows the WAI-ARIA window splitter
 * pattern: a focusable separator whose value is the panel's width; arrows resize, Home/End go to
 * the limits, Enter hides or shows the panel. Dragging it with the pointer resizes too.
 */
export function PanelFrame({
  panel,
  edge,
  children,
}: {
  panel: PanelName;
  /** Which side of the panel faces the graph: where the splitter sits. */
  edge: 'left' | 'right';
  children: ReactNode;
}) {
  const state = useStore(selectPanelLayout(panel));
  const setOpen = useStore(setPanelOpenAction);
  const setWidth = useStore(setPanelWidthAction);
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<{ startX: number; startWidth: number } | undefined>(undefined);
  const id = `panel-frame-${panel}`;
  const title = TITLES[panel];
  const { min, max } = PANEL_LIMITS[panel];
  // Dragging towards the graph widens the left panel and narrows the right one.
  const direction = edge === 'right' ? 1 : -1;

  if (!state.open) {
    return (
      <div className={`panel-rail panel-rail-${edge}`} data-testid={`panel.${panel}`} data-open="false">
        <button
          type="button"
          className="panel-toggle"
          aria-expanded={false}
          aria-controls={id}
          aria-label={`Show ${title}`}
          title={`Show ${title}`}
          onClick={() => setOpen(panel, true)}
        >
          {edge === 'right' ? '»' : '«'}
        </button>
      </div>
    );
  }

  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
    const actual = frame.current?.getBoundingClientRect().width ?? state.width;
    let next: number | undefined;
    if (e.key === 'ArrowRight') next = actual + step * direction;
    else if (e.key === 'ArrowLeft') next = actual - step * direction;
    else if (e.key === 'Home') next = min;
    else if (e.key === 'End') next = max;
    else if (e.key === 'Enter') {
      e.preventDefault();
      setOpen(panel, false);
      return;
    }
    if (next === undefined) return;
    e.preventDefault();
    setWidth(panel, next);
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    // Starts from the drawn width: the stylesheet may show less than the stored one.
    drag.current = {
      startX: e.clientX,
      startWidth: frame.current?.getBoundingClientRect().width ?? state.width,
    };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    setWidth(panel, drag.current.startWidth + (e.clientX - drag.current.startX) * direction);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = undefined;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };

  return (
    <div
      ref={frame}
      id={id}
      className={`panel-frame panel-frame-${edge}`}
      data-testid={`panel.${panel}`}
      data-open="true"
      style={{ ['--panel-width' as string]: `${state.width}px` }}
    >
      <button
        type="button"
        className="panel-toggle panel-hide"
        aria-expanded={true}
        aria-controls={id}
        aria-label={`Hide ${title}`}
        title={`Hide ${title}`}
        onClick={() => setOpen(panel, false)}
      >
        {edge === 'right' ? '«' : '»'}
      </button>
      {children}
      {/* biome-ignore lint/a11y/useSemanticElements: an <hr> cannot be focused or dragged; this is the ARIA window splitter */}
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize ${title}`}
        aria-controls={id}
        aria-valuenow={state.width}
        aria-valuemin={min}
        aria-valuemax={max}
        tabIndex={0}
        className="panel-splitter"
        data-testid={`panel.${panel}.splitter`}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      />
    </div>
  );
}
