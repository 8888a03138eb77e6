import { describe, expect, it } from 'vitest';
import { newlyExpanded, revealView } from './revealExpanded.ts';

const ZOOM = { min: 0.05, max: 2.5 };

describe('revealView', () => {
  it('centres a big box and zooms out until all of it shows, with a margin', () => {
    const box = { x: 5000, y: 2000, width: 2000, height: 1000 };
    const view = revealView(box, { width: 1000, height: 800 }, ZOOM);
    expect([view.x, view.y]).toEqual([6000, 2500]);
    expect(box.width * view.zoom).toBeLessThan(1000);
    expect(box.height * view.zoom).toBeLessThan(800);
    expect(box.width * view.zoom).toBeGreaterThan(600);
  });

  it('does not magnify a small box past its natural size, nor zoom out past the limit', () => {
    expect(revealView({ x: 0, y: 0, width: 200, height: 100 }, { width: 1600, height: 900 }, ZOOM).zoom).toBe(
      1,
    );
    expect(revealView({ x: 0, y: 0, width: 1e6, height: 1e6 }, { width: 1600, height: 900 }, ZOOM).zoom).toBe(
      0.05,
    );
  });
});

describe('newlyExpanded', () => {
  it('names the one namespace no longer collapsed', () => {
    expect(newlyExpanded(['a', 'b', 'c'], ['a', 'c'])).toBe('b');
  });

  it('names none when several opened, none did, or one was collapsed', () => {
    expect(newlyExpanded(['a', 'b', 'c'], [])).toBeUndefined();
    expect(newlyExpanded(['a'], ['a'])).toBeUndefined();
    expect(newlyExpanded(['a'], ['a', 'b'])).toBeUndefined();
  });
});
