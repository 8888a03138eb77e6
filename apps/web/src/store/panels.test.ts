import { describe, expect, it } from 'vitest';
import { clampPanelWidth, defaultPanels, NARROW_WINDOW, PANEL_LIMITS, parsePanels } from './panels.ts';

describe('panel layout', () => {
  it('starts with the filters hidden on a narrow window, shown on a wide one', () => {
    expect(defaultPanels(1024).filters.open).toBe(false);
    expect(defaultPanels(NARROW_WINDOW).filters.open).toBe(true);
    expect(defaultPanels(1024).side.open).toBe(true);
  });

  it('reads back what it stored', () => {
    const layout = { filters: { open: false, width: 300 }, side: { open: true, width: 520 } };
    expect(parsePanels(JSON.stringify(layout), 1440)).toEqual(layout);
  });

  it.each([
    ['nothing stored', null],
    ['not JSON', '{oops'],
    ['not an object', '42'],
    ['null', 'null'],
  ])('falls back to the defaults for %s', (_, raw) => {
    expect(parsePanels(raw, 1440)).toEqual(defaultPanels(1440));
  });

  it('repairs field by field: wrong types fall back, widths are clamped', () => {
    const raw = JSON.stringify({ filters: { open: 'yes', width: 5000 }, side: { width: 10 } });
    expect(parsePanels(raw, 1440)).toEqual({
      filters: { open: true, width: PANEL_LIMITS.filters.max },
      side: { open: true, width: PANEL_LIMITS.side.min },
    });
  });

  it('clamps widths to whole pixels inside the limits', () => {
    expect(clampPanelWidth('side', 333.6)).toBe(334);
    expect(clampPanelWidth('filters', 0)).toBe(PANEL_LIMITS.filters.min);
    expect(clampPanelWidth('filters', Number.NaN)).toBe(PANEL_LIMITS.filters.default);
  });
});
