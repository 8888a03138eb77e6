import { describe, expect, it } from 'vitest';
import { parsePriority } from './priorityInput.ts';

describe('parsePriority', () => {
  it.each([
    { text: '', want: { priority: undefined } },
    { text: '  ', want: { priority: undefined } },
    { text: '0', want: { priority: 0 } },
    { text: ' 250 ', want: { priority: 250 } },
    { text: '1000', want: { priority: 1000 } },
    { text: '1001', want: 'error' },
    { text: '-1', want: 'error' },
    { text: '2.5', want: 'error' },
    { text: 'high', want: 'error' },
  ])('"$text"', ({ text, want }) => {
    const got = parsePriority(text);
    if (want === 'error') expect(got).toHaveProperty('error');
    else expect(got).toEqual(want);
  });
});
