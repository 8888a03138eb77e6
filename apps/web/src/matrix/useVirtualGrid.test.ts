import { describe, expect, it } from 'vitest';
import { axisWindow } from './useVirtualGrid.ts';

describe('axisWindow', () => {
  it('covers the items in view and a few either side, with the space around them', () => {
    // 1,000 columns of 54 px, 1,200 px wide, scrolled to column 100.
    const w = axisWindow(1000, 54, 5400, 1200);
    expect(w.first).toBeLessThanOrEqual(100);
    expect(w.last).toBeGreaterThanOrEqual(Math.ceil((5400 + 1200) / 54));
    expect(w.last - w.first).toBeLessThan(40);
    expect(w.before).toBe(w.first * 54);
    expect(w.before + (w.last - w.first) * 54 + w.after).toBe(1000 * 54);
  });

  it('stays inside the axis at both ends and on an empty one', () => {
    expect(axisWindow(10, 40, 0, 600)).toEqual({ first: 0, last: 10, before: 0, after: 0 });
    const end = axisWindow(100, 40, 100 * 40, 600);
    expect(end.last).toBe(100);
    expect(end.after).toBe(0);
    expect(axisWindow(0, 40, 300, 600)).toEqual({ first: 0, last: 0, before: 0, after: 0 });
  });
});
