import type { LabelSelector, LabelSelectorRequirement, Labels } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { compileSelector } from './index.ts';
import { SelectorCache } from './selectors.ts';

function selector(
  matchLabels?: Labels,
  matchExpressions?: Array<[key: string, operator: string, values?: string[]]>,
): LabelSelector {
  return {
    matchLabels,
    matchExpressions: matchExpressions?.map(([key, operator, values]) => ({
      key,
      operator,
      values: values ?? [],
    })),
  };
}

const WEB: Labels = { app: 'web', tier: 'frontend' };
const DB: Labels = { app: 'db', tier: 'backend' };
const BARE: Labels = {};
const EMPTY_VALUE: Labels = { app: '' };

describe('compileSelector: operators', () => {
  it.each<[string, LabelSelector, Labels, boolean]>([
    ['{} matches anything', selector(), WEB, true],
    ['{} matches an unlabelled object', selector(), BARE, true],
    ['matchLabels {} matches anything', selector({}), BARE, true],
    ['matchExpressions [] matches anything', selector(undefined, []), BARE, true],
    ['matchLabels equal', selector({ app: 'web' }), WEB, true],
    ['matchLabels different value', selector({ app: 'web' }), DB, false],
    ['matchLabels missing key', selector({ app: 'web' }), BARE, false],
    ['matchLabels are ANDed', selector({ app: 'web', tier: 'backend' }), WEB, false],
    ['matchLabels all present', selector({ app: 'web', tier: 'frontend' }), WEB, true],
    ['matchLabels empty value', selector({ app: '' }), EMPTY_VALUE, true],
    ['matchLabels empty value vs missing key', selector({ app: '' }), BARE, false],
    ['In: value listed', selector(undefined, [['app', 'In', ['db', 'web']]]), WEB, true],
    ['In: value not listed', selector(undefined, [['app', 'In', ['db']]]), WEB, false],
    ['In: key missing', selector(undefined, [['app', 'In', ['web']]]), BARE, false],
    ['NotIn: value listed', selector(undefined, [['app', 'NotIn', ['web']]]), WEB, false],
    ['NotIn: value not listed', selector(undefined, [['app', 'NotIn', ['db']]]), WEB, true],
    ['NotIn: key missing matches', selector(undefined, [['app', 'NotIn', ['web']]]), BARE, true],
    ['Exists: present', selector(undefined, [['tier', 'Exists']]), DB, true],
    ['Exists: present with empty value', selector(undefined, [['app', 'Exists']]), EMPTY_VALUE, true],
    ['Exists: missing', selector(undefined, [['tier', 'Exists']]), BARE, false],
    ['DoesNotExist: present', selector(undefined, [['tier', 'DoesNotExist']]), DB, false],
    ['DoesNotExist: missing matches', selector(undefined, [['tier', 'DoesNotExist']]), BARE, true],
    [
      'expressions are ANDed',
      selector(undefined, [
        ['app', 'In', ['web']],
        ['tier', 'NotIn', ['frontend']],
      ]),
      WEB,
      false,
    ],
    [
      'matchLabels AND matchExpressions: both hold',
      selector({ app: 'web' }, [['tier', 'Exists']]),
      WEB,
      true,
    ],
    [
      'matchLabels AND matchExpressions: one fails',
      selector({ app: 'web' }, [['tier', 'DoesNotExist']]),
      WEB,
      false,
    ],
    ['unknown operator matches nothing', selector(undefined, [['app', 'Equals', ['web']]]), WEB, false],
    // Labels are plain records: inherited Object properties are not labels.
    ['Exists does not see Object.prototype', selector(undefined, [['toString', 'Exists']]), BARE, false],
    [
      'DoesNotExist does not see Object.prototype',
      selector(undefined, [['constructor', 'DoesNotExist']]),
      BARE,
      true,
    ],
    ['In does not see Object.prototype', selector(undefined, [['hasOwnProperty', 'In', ['x']]]), BARE, false],
  ])('%s', (_, sel, labels, expected) => {
    expect(compileSelector(sel).matches(labels)).toBe(expected);
  });

  it('matchesAll only for selectors without requirements', () => {
    expect(compileSelector(selector()).matchesAll).toBe(true);
    expect(compileSelector(selector({}, [])).matchesAll).toBe(true);
    expect(compileSelector(selector({ app: 'web' })).matchesAll).toBe(false);
    expect(compileSelector(selector(undefined, [['app', 'Exists']])).matchesAll).toBe(false);
  });

  it('lists the label keys it reads', () => {
    const compiled = compileSelector(
      selector({ app: 'web' }, [
        ['tier', 'In', ['a']],
        ['app', 'Exists'],
      ]),
    );
    expect([...compiled.keys].sort()).toEqual(['app', 'tier']);
  });
});

describe('compileSelector: canonical key', () => {
  it.each<[string, LabelSelector, LabelSelector]>([
    ['matchLabels key order', selector({ b: '2', a: '1' }), selector({ a: '1', b: '2' })],
    ['{} and empty fields', selector(), selector({}, [])],
    [
      'expression order',
      selector(undefined, [
        ['a', 'Exists'],
        ['b', 'In', ['x']],
      ]),
      selector(undefined, [
        ['b', 'In', ['x']],
        ['a', 'Exists'],
      ]),
    ],
    [
      'value order',
      selector(undefined, [['a', 'In', ['y', 'x', 'z']]]),
      selector(undefined, [['a', 'In', ['z', 'x', 'y']]]),
    ],
    [
      'everything shuffled',
      selector({ tier: 'fe', app: 'web' }, [
        ['env', 'NotIn', ['prod', 'dev']],
        ['team', 'Exists'],
      ]),
      selector({ app: 'web', tier: 'fe' }, [
        ['team', 'Exists'],
        ['env', 'NotIn', ['dev', 'prod']],
      ]),
    ],
  ])('%s share a key', (_, a, b) => {
    expect(compileSelector(a).key).toBe(compileSelector(b).key);
  });

  it.each<[string, LabelSelector, LabelSelector]>([
    ['different values', selector({ a: '1' }), selector({ a: '2' })],
    ['In vs NotIn', selector(undefined, [['a', 'In', ['x']]]), selector(undefined, [['a', 'NotIn', ['x']]])],
    [
      'Exists vs DoesNotExist',
      selector(undefined, [['a', 'Exists']]),
      selector(undefined, [['a', 'DoesNotExist']]),
    ],
    ['one more requirement', selector({ a: '1' }), selector({ a: '1' }, [['b', 'Exists']])],
    ['{} vs a requirement', selector(), selector(undefined, [['a', 'Exists']])],
    ['key and value swapped', selector({ a: 'b' }), selector({ b: 'a' })],
  ])('%s have different keys', (_, a, b) => {
    expect(compileSelector(a).key).not.toBe(compileSelector(b).key);
  });

  it('does not mutate the selector it compiles', () => {
    const expressions: LabelSelectorRequirement[] = [
      { key: 'b', operator: 'In', values: ['y', 'x'] },
      { key: 'a', operator: 'Exists', values: [] },
    ];
    compileSelector({ matchLabels: undefined, matchExpressions: expressions });
    expect(expressions.map((e) => e.key)).toEqual(['b', 'a']);
    expect(expressions[0]!.values).toEqual(['y', 'x']);
  });

  // Equal keys are used to share selector evaluations: two selectors with one key must select
  // exactly the same objects. Checked over random selectors and label sets from a small alphabet.
  it('equal keys select the same objects (random selectors)', () => {
    let state = 12345;
    const next = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) % n;
    };
    const keys = ['a', 'b', 'c'];
    const values = ['1', '2', '3'];
    const operators = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
    const randomLabels = (): Labels =>
      Object.fromEntries(keys.filter(() => next(2) === 0).map((k) => [k, values[next(3)]!]));
    const randomSelector = (): LabelSelector => {
      const matchLabels = next(2) === 0 ? randomLabels() : undefined;
      const matchExpressions = Array.from({ length: next(3) }, () => {
        const operator = operators[next(4)]!;
        const needsValues = operator === 'In' || operator === 'NotIn';
        return {
          key: keys[next(3)]!,
          operator,
          values: needsValues ? values.filter(() => next(2) === 0).slice(0, 2) : [],
        };
      });
      return { matchLabels, matchExpressions };
    };
    const objects = Array.from({ length: 40 }, randomLabels);
    const byKey = new Map<string, string>();
    for (let i = 0; i < 400; i++) {
      const compiled = compileSelector(randomSelector());
      const fingerprint = objects.map((o) => (compiled.matches(o) ? '1' : '0')).join('');
      const seen = byKey.get(compiled.key);
      if (seen !== undefined) expect(fingerprint, compiled.key).toBe(seen);
      else byKey.set(compiled.key, fingerprint);
    }
    expect(byKey.size).toBeGreaterThan(50);
  });
});

describe('SelectorCache', () => {
  const LABELS: Labels[] = [WEB, DB, BARE, EMPTY_VALUE, { app: 'web' }, { tier: 'frontend', x: 'y' }];
  const SELECTORS: LabelSelector[] = [
    selector(),
    selector({}),
    selector(undefined, []),
    selector({ app: 'web' }),
    selector({ app: '' }),
    selector({ tier: 'frontend' }),
    selector({ app: 'web', tier: 'frontend' }),
    selector({ app: 'web' }, [['tier', 'Exists']]),
    selector(undefined, [['app', 'In', ['db', 'web']]]),
  ];

  it('compiles every selector as compileSelector does', () => {
    const cache = new SelectorCache();
    for (const s of SELECTORS) {
      const expected = compileSelector(s);
      for (const compiled of [cache.compile(s), cache.compile(s)]) {
        expect({ ...compiled, matches: undefined }).toEqual({ ...expected, matches: undefined });
        expect(LABELS.map((l) => compiled.matches(l))).toEqual(LABELS.map((l) => expected.matches(l)));
      }
    }
  });

  it('compiles a single-label selector once per label, whatever object it is written in', () => {
    const cache = new SelectorCache();
    const first = cache.compile(selector({ app: 'web' }));
    expect(cache.compile(selector({ app: 'web' }))).toBe(first);
    expect(cache.compile(selector({ app: 'db' }))).not.toBe(first);
    expect(cache.compile(selector({ tier: 'web' }))).not.toBe(first);
  });
});
