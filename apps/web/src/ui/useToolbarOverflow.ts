import { type RefObject, useLayoutEffect, useRef, useState } from 'react';

/** Marks an element of the toolbar that may move into the overflow menu, with its priority. */
export const OVERFLOW_UNIT = 'data-overflow-unit';

/**
 * How many of the lowest-priority units must leave a one-row toolbar for the rest to fit.
 * `units` are ids ordered from first-to-go to last-to-go; the hidden ones are always a prefix
 * of that order, so the whole state is one count and cannot oscillate between two choices.
 *
 * After each render it measures: content wider than the bar hides one more unit; enough free
 * room for the next unit (at its last measured width) brings it back. Layout effects run before
 * paint, so the bar never shows a wrapped or clipped row.
 */
export function useToolbarOverflow(
  container: RefObject<HTMLElement | null>,
  units: readonly string[],
): ReadonlySet<string> {
  const [count, setCount] = useState(0);
  const widths = useRef(new Map<string, number>());
  // Only re-renders on a resize: the measuring effect below runs after every render.
  const [, setSize] = useState(0);

  useLayoutEffect(() => {
    const element = container.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setSize(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [container]);

  useLayoutEffect(() => {
    const element = container.current;
    if (!element) return;
    const style = getComputedStyle(element);
    const gap = Number.parseFloat(style.columnGap) || 0;
    const inner = element.clientWidth - Number.parseFloat(style.paddingRight || '0');
    const left = element.getBoundingClientRect().left;
    let used = 0;
    for (const unit of element.querySelectorAll<HTMLElement>(`[${OVERFLOW_UNIT}]`)) {
      const width = unit.getBoundingClientRect().width;
      if (!unit.classList.contains('overflowed') && width > 0)
        widths.current.set(unit.getAttribute(OVERFLOW_UNIT)!, width);
    }
    for (const child of element.children) {
      if (child.classList.contains('overflowed')) continue;
      const box = child.getBoundingClientRect();
      if (box.width > 0) used = Math.max(used, box.right - left);
    }
    if (used > inner + 0.5 && count < units.length) {
      setCount(count + 1);
      return;
    }
    if (count === 0) return;
    const next = units[count - 1]!;
    const more = element.querySelector<HTMLElement>('.overflow-more');
    // Showing the last hidden unit also removes the menu button, which frees its room.
    const freed = count === 1 && more ? more.getBoundingClientRect().width + gap : 0;
    const needed = (widths.current.get(next) ?? Number.POSITIVE_INFINITY) + gap;
    if (inner - used + freed >= needed) setCount(count - 1);
  });

  return new Set(units.slice(0, count));
}
