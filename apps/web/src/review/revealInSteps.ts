import { useEffect, useState } from 'react';

/** Items shown at once, then added per task: about what a tall panel shows, and a few ms to build. */
const REVEAL_STEP = 100;

/**
 * Shows `total` items a step at a time: `show(step)` now, then one more step per task until all
 * are shown. The findings of a big cluster are a thousand list items of some fifteen elements
 * each; built in one task they held the page for most of a second, a step at a time no task is
 * long and the first ones are on screen at once. Returns what cancels the steps still to come.
 */
export function revealInSteps(
  total: number,
  show: (count: number) => void,
  step = REVEAL_STEP,
  later: (run: () => void) => () => void = (run) => {
    const timer = setTimeout(run, 0);
    return () => clearTimeout(timer);
  },
): () => void {
  let count = Math.min(step, total);
  show(count);
  let cancel = () => {};
  const next = () => {
    count = Math.min(count + step, total);
    show(count);
    if (count < total) cancel = later(next);
  };
  if (count < total) cancel = later(next);
  return () => cancel();
}

/** How many items of `list` to render now: all of them, a step per task (see revealInSteps). */
export function useRevealedCount(list: readonly unknown[]): number {
  const [count, setCount] = useState(() => Math.min(REVEAL_STEP, list.length));
  useEffect(() => revealInSteps(list.length, setCount), [list]);
  return Math.min(count, list.length);
}
