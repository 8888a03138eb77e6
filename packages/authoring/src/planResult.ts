import { plural } from '@netpol-atlas/evaluator';
import type { Change, FileEdit, PlanFailure, PlanFailureReason, PlanOk, RuleRef } from './types.ts';

/** A failed plan. */
export function failure(reason: PlanFailureReason, message: string): PlanFailure {
  return { ok: false, reason, message };
}

/** What a verified plan is made of; the lists it leaves out are empty. */
interface PlanParts {
  edits: FileEdit[];
  added?: Change[];
  removed?: Change[];
  sideEffects: Change[];
  summary: string;
  warnings?: string[];
  admittedBy?: RuleRef[];
}

/**
 * A verified plan. Every planner builds its result here, so the result's shape (and the empty
 * lists of a planner that never adds, never removes or names no admitting rule) is written once.
 */
export function planOk(parts: PlanParts): PlanOk {
  return {
    ok: true,
    edits: parts.edits,
    added: parts.added ?? [],
    removed: parts.removed ?? [],
    sideEffects: parts.sideEffects,
    summary: parts.summary,
    warnings: parts.warnings ?? [],
    admittedBy: parts.admittedBy ?? [],
  };
}

/**
 * The end of an edge plan's summary: how many connections the edit adds (drawing an edge) or
 * removes (removing one), and how many of them lie beyond the edge.
 */
export function edgeEffects(kind: 'added' | 'removed', count: number, beyond: number): string {
  const [verb, only, edge] =
    kind === 'added' ? ['Adds', 'exactly', 'the drawn edge'] : ['Removes', 'only', 'the edge'];
  return (
    `${verb} ${plural(count, 'connection')}` +
    (beyond === 0 ? `, ${only} ${edge}.` : `, ${beyond} beyond ${edge} (side effects).`)
  );
}
