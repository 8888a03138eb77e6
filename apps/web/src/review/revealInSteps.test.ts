import { afterEach, describe, expect, it, vi } from 'vitest';
import { revealInSteps } from './revealInSteps.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('revealInSteps', () => {
  it('shows the first step at once, then one more step per task until all are shown', async () => {
    vi.useFakeTimers();
    const shown: number[] = [];
    revealInSteps(250, (n) => shown.push(n), 100);
    expect(shown).toEqual([100]);
    await vi.advanceTimersToNextTimerAsync();
    expect(shown).toEqual([100, 200]);
    await vi.runAllTimersAsync();
    expect(shown).toEqual([100, 200, 250]);
  });

  it('shows a short list whole, scheduling nothing', () => {
    const later = vi.fn();
    const shown: number[] = [];
    revealInSteps(40, (n) => shown.push(n), 100, later);
    expect(shown).toEqual([40]);
    expect(later).not.toHaveBeenCalled();
  });

  it('stops when cancelled (the list changed or the panel closed)', async () => {
    vi.useFakeTimers();
    const shown: number[] = [];
    const cancel = revealInSteps(1000, (n) => shown.push(n), 100);
    await vi.advanceTimersToNextTimerAsync();
    cancel();
    await vi.runAllTimersAsync();
    expect(shown).toEqual([100, 200]);
  });
});
