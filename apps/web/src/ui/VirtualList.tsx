import { type ReactNode, useState } from 'react';

/**
 * Renders only the rows in view (plus a few), so lists of thousands of namespaces or policies
 * cost a few dozen DOM nodes. Rows have a fixed height.
 */
export function VirtualList<T>({
  items,
  rowHeight,
  maxHeight,
  label,
  render,
  itemKey,
}: {
  items: readonly T[];
  rowHeight: number;
  maxHeight: number;
  label: string;
  render: (item: T) => ReactNode;
  itemKey: (item: T) => string;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const height = Math.min(maxHeight, items.length * rowHeight);
  const overscan = 6;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return (
    <section
      className="virtual-list"
      style={{ height, overflowY: items.length * rowHeight > maxHeight ? 'auto' : 'hidden' }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
    >
      <ul
        style={{
          height: items.length * rowHeight,
          position: 'relative',
          margin: 0,
          padding: 0,
          listStyle: 'none',
        }}
      >
        {items.slice(first, last).map((item, i) => (
          <li
            key={itemKey(item)}
            style={{
              position: 'absolute',
              top: (first + i) * rowHeight,
              height: rowHeight,
              left: 0,
              right: 0,
            }}
          >
            {render(item)}
          </li>
        ))}
      </ul>
    </section>
  );
}
