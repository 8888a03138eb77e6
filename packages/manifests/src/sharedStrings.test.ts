import { describe, expect, it } from 'vitest';
import { sharedString } from './sharedStrings.ts';

describe('sharedString', () => {
  it('returns a string equal to its input, short or long, first time or again', () => {
    const file = `metadata:\n  namespace: team-payments-production\n  name: x\n`;
    const long = file.slice(file.indexOf('team'), file.indexOf('\n', file.indexOf('team')));
    for (const text of ['default', '', long, 'kube-system', long]) expect(sharedString(text)).toBe(text);
  });

  it('stays exact past its bound (it forgets, it never mixes texts up)', () => {
    for (let i = 0; i < 70_000; i++) expect(sharedString(`label-value-${i}`)).toBe(`label-value-${i}`);
    expect(sharedString('label-value-3')).toBe('label-value-3');
  });
});
