import { describe, expect, it } from 'vitest';
import { parseLabelSelector, selectorMatches } from './labelSelector.ts';

const web = { app: 'web', tier: 'front', replicas: '3' };
const api = { app: 'api', tier: 'back' };
const db = { app: 'db' };
const bare = {};
const ALL = { web, api, db, bare };

/** Each selector and the names (of ALL) it must match. */
const MATCHES: [string, string[]][] = [
  ['', ['web', 'api', 'db', 'bare']],
  ['app=web', ['web']],
  ['app==web', ['web']],
  [' app = web ', ['web']],
  ['app!=web', ['api', 'db', 'bare']],
  ['app in (web,api)', ['web', 'api']],
  ['app in ( web , api )', ['web', 'api']],
  ['app notin (web)', ['api', 'db', 'bare']],
  ['tier', ['web', 'api']],
  ['!tier', ['db', 'bare']],
  ['app,!tier', ['db']],
  ['app in (web,api),tier!=back', ['web']],
  ['tier=front, app=web', ['web']],
  ['tier=front,app=api', []],
  ['replicas>2', ['web']],
  ['replicas<2', []],
  ['app=', []],
  ['app in (db,)', ['db']],
  ['example.com/team', []],
];

describe('parseLabelSelector + selectorMatches', () => {
  it.each(MATCHES)('%j matches %j', (text, expected) => {
    const parsed = parseLabelSelector(text);
    expect(parsed.diagnostics).toEqual([]);
    const requirements = parsed.requirements!;
    const matched = Object.entries(ALL)
      .filter(([, labels]) => selectorMatches(requirements, labels))
      .map(([name]) => name);
    expect(matched).toEqual(expected);
  });

  it('reads set-based forms into requirements', () => {
    expect(parseLabelSelector('app in (web,api), !canary, env notin (prod)').requirements).toEqual([
      { key: 'app', operator: 'In', values: ['web', 'api'] },
      { key: 'canary', operator: 'DoesNotExist', values: [] },
      { key: 'env', operator: 'NotIn', values: ['prod'] },
    ]);
  });

  /** Text the parser must refuse, with the diagnostic code and the range it points at. */
  const ERRORS: [string, string, [number, number]][] = [
    ['app in web', 'expected-value', [7, 10]],
    ['app in (web', 'expected-value', [11, 11]],
    ['app in ()', 'empty-set', [7, 9]],
    ['app ~ web', 'expected-operator', [4, 5]],
    ['app web', 'expected-operator', [4, 7]],
    ['=web', 'expected-key', [0, 1]],
    ['app=web,', 'expected-key', [8, 8]],
    ['app=web tier', 'expected-operator', [8, 12]],
    ['-app=web', 'invalid-key', [0, 4]],
    ['Example.com/team=a', 'invalid-key', [0, 16]],
    ['app=we$b', 'invalid-value', [4, 8]],
    ['replicas>many', 'expected-value', [9, 13]],
    ['!', 'expected-key', [1, 1]],
  ];
  it.each(ERRORS)('refuses %j (%s)', (text, code, [start, end]) => {
    const parsed = parseLabelSelector(text);
    expect(parsed.requirements).toBeUndefined();
    expect(parsed.diagnostics).toHaveLength(1);
    expect(parsed.diagnostics[0]).toMatchObject({ code, range: { start, end } });
    expect(parsed.diagnostics[0]!.message.length).toBeGreaterThan(10);
  });
});
