import { type RefObject, useEffect, useRef, useState } from 'react';

/** Rows rendered beyond the visible ones on each side, so fast scrolling does not show gaps. */
const OVERSCAN = 8;

/**
 * Which of `count` fixed-height rows a scrolling container shows: the window `[first, last)` and
 * the space to leave above and below it. Tables of tens of thousands of connections then cost
 * a few dozen DOM rows.
 */
export function useVirtualRows<E extends HTMLElement>(
  count: number,
  rowHeight: number,
): { ref: RefObject<E | null>; first: number; last: number; before: number; after: number } {
  const ref = useRef<E | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const onScroll = () => setScrollTop(element.scrollTop);
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    element.addEventListener('scroll', onScroll, { passive: true });
    setHeight(element.clientHeight);
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', onScroll);
    };
  }, []);
  const first = Math.max(0, Math.min(count, Math.floor(scrollTop / rowHeight) - OVERSCAN));
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  return { ref, first, last, before: first * rowHeight, after: (count - last) * rowHeight };
}
