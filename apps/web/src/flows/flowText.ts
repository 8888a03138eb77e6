import type { FlowRuleView } from '../workspace/index.ts';

/** A time as people read it in a log: UTC, to the second. */
export function formatTime(ms: number | undefined): string {
  return ms === undefined
    ? '—'
    : new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z');
}

const LAYER: Record<Exclude<FlowRuleView['layer'], 'default'>, string> = {
  Admin: 'the Admin tier:',
  NetworkPolicy: 'NetworkPolicy',
  Baseline: 'the Baseline tier:',
};

/** One side's decision in words: which tier, which policy, which rule. */
export function ruleText(rule: FlowRuleView): string {
  if (rule.layer === 'default') return `${rule.side}: allowed (no policy decides it)`;
  const policies = rule.policies.join(', ');
  if (rule.rule === undefined && rule.action === 'deny')
    return `${rule.side}: denied: ${policies} ${rule.policies.length === 1 ? 'isolates' : 'isolate'} it and no rule admits it`;
  const which = rule.rule === undefined ? '' : ` ${rule.side} rule ${rule.rule}`;
  return `${rule.side}: ${rule.action === 'deny' ? 'denied' : 'allowed'} by ${LAYER[rule.layer]} ${policies}${which}`;
}

/** A file's path and text, as the staged check sends them. */
export interface FileText {
  path: string;
  text: string;
}

/** The documents with a plan's edits applied: each edited file's new text, new files added. */
export function withEdits(
  files: readonly FileText[],
  edits: readonly { path: string; after: string }[],
): FileText[] {
  const byPath = new Map(edits.map((e) => [e.path, e.after]));
  const out = files.map((f) => (byPath.has(f.path) ? { path: f.path, text: byPath.get(f.path)! } : f));
  const known = new Set(files.map((f) => f.path));
  for (const edit of edits) if (!known.has(edit.path)) out.push({ path: edit.path, text: edit.after });
  return out;
}
