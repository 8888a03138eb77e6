import { NO_CONNECTIONS } from '@netpol-atlas/evaluator';
import { describe, expect, it } from 'vitest';
import { edgeEffects, failure, planOk } from './planResult.ts';
import type { Change, FileEdit, RuleRef } from './types.ts';

const edit: FileEdit = { path: 'a.yaml', before: undefined, after: 'x', changes: ['new policy'] };
const change = (src: string): Change => ({
  src,
  dst: 'b/db[Deployment]',
  before: 'No Connections',
  after: 'All Connections',
  conn: NO_CONNECTIONS,
  ports: 'All Connections',
});

describe('planOk', () => {
  it('leaves the lists a planner does not give empty', () => {
    expect(planOk({ edits: [edit], sideEffects: [], summary: 'done' })).toEqual({
      ok: true,
      edits: [edit],
      added: [],
      removed: [],
      sideEffects: [],
      summary: 'done',
      warnings: [],
      admittedBy: [],
    });
  });

  it('keeps every list it is given, as given', () => {
    const added = [change('a/web[Deployment]')];
    const removed = [change('a/api[Deployment]')];
    const rule: RuleRef = {
      policy: 'b/allow',
      direction: 'Ingress',
      rule: 0,
      peer: undefined,
      ports: [],
      file: 'b.yaml',
      range: undefined,
    };
    const plan = planOk({
      edits: [edit],
      added,
      removed,
      sideEffects: removed,
      summary: 's',
      warnings: ['w'],
      admittedBy: [rule],
    });
    expect(plan.added).toBe(added);
    expect(plan.removed).toBe(removed);
    expect(plan.sideEffects).toBe(removed);
    expect(plan.warnings).toEqual(['w']);
    expect(plan.admittedBy).toEqual([rule]);
  });

  it('gives each plan lists of its own, so a caller may add warnings to one', () => {
    const a = planOk({ edits: [], sideEffects: [], summary: '' });
    a.warnings.push('only on a');
    expect(planOk({ edits: [], sideEffects: [], summary: '' }).warnings).toEqual([]);
  });
});

describe('failure', () => {
  it('is a failed plan with its reason and message', () => {
    expect(failure('unknown-peer', 'no such workload')).toEqual({
      ok: false,
      reason: 'unknown-peer',
      message: 'no such workload',
    });
  });
});

describe('edgeEffects', () => {
  it.each([
    { kind: 'added', count: 1, beyond: 0, want: 'Adds 1 connection, exactly the drawn edge.' },
    {
      kind: 'added',
      count: 3,
      beyond: 2,
      want: 'Adds 3 connections, 2 beyond the drawn edge (side effects).',
    },
    { kind: 'removed', count: 2, beyond: 0, want: 'Removes 2 connections, only the edge.' },
    {
      kind: 'removed',
      count: 4,
      beyond: 1,
      want: 'Removes 4 connections, 1 beyond the edge (side effects).',
    },
  ] as const)('$kind $count, $beyond beyond: $want', ({ kind, count, beyond, want }) => {
    expect(edgeEffects(kind, count, beyond)).toBe(want);
  });
});
