import { type RefObject, useEffect, useRef, useState } from 'react';

/** Rows and columns rendered beyond the visible ones, so fast scrolling does not show gaps. */
const OVERSCAN = 4;

/** A window of a fixed-pitch axis: `[first, last)` and the space before and after it. */
export interface AxisWindow {
  first: number;
  last: number;
  before: number;
  after: number;
}

/**
 * The window of `count` items of `size` px that a viewport of `extent` px scrolled by `offset`
 * shows, with OVERSCAN items either side. Items start at the content's edge: content the
 * viewport keeps in place (a sticky header) covers the first ones, so they are left out.
 */
export function axisWindow(count: number, size: number, offset: number, extent: number): AxisWindow {
  const first = Math.max(0, Math.min(count, Math.floor(offset / size) - OVERSCAN));
  const last = Math.max(first, Math.min(count, Math.ceil((offset + extent) / size) + OVERSCAN));
  return { first, last, before: first * size, after: (count - last) * size };
}

/**
 * Which rows and columns of a grid of fixed-size cells a scrolling container shows: a matrix of
 * 1,000 namespaces then costs a few hundred cells instead of a million.
 */
export function useVirtualGrid<E extends HTMLElement>(
  rows: number,
  columns: number,
  rowHeight: number,
  columnWidth: number,
): { ref: RefObject<E | null>; rows: AxisWindow; columns: AxisWindow } {
  const ref = useRef<E | null>(null);
  const [view, setView] = useState({ top: 0, left: 0, width: 1200, height: 600 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () =>
      setView({
        top: element.scrollTop,
        left: element.scrollLeft,
        width: element.clientWidth,
        height: element.clientHeight,
      });
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    element.addEventListener('scroll', measure, { passive: true });
    measure();
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', measure);
    };
  }, []);
  return {
    ref,
    rows: axisWindow(rows, rowHeight, view.top, view.height),
    columns: axisWindow(columns, columnWidth, view.left, view.width),
  };
}
