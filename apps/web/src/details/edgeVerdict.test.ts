import { describe, expect, it } from 'vitest';
import { type EdgeFacts, edgeVerdict, VERDICT_TITLE } from './edgeVerdict.ts';

describe('edgeVerdict', () => {
  it.each<[string, EdgeFacts, string]>([
    [
      'an allowed connection',
      { adminDenied: false, allowed: true, observedDenied: 0 },
      'Why is this allowed?',
    ],
    [
      'an allowed connection beside an observed flow the policies deny',
      { adminDenied: false, allowed: true, observedDenied: 2 },
      'Why is this partly denied?',
    ],
    [
      'observed flows between ends the policies do not connect',
      { adminDenied: false, allowed: false, observedDenied: 1 },
      'Why is this denied?',
    ],
    [
      'an edge of the Admin-denied overlay',
      { adminDenied: true, allowed: false, observedDenied: 0 },
      'Why is this denied?',
    ],
    [
      'an Admin-denied edge whose ends are allowed elsewhere',
      { adminDenied: true, allowed: true, observedDenied: 0 },
      'Why is this denied?',
    ],
  ])('%s', (_, facts, title) => {
    expect(VERDICT_TITLE[edgeVerdict(facts)]).toBe(title);
  });
});
