// The search behind the what-if: label edits on a workload's pods (or on its namespace) that
// take it out of the policies isolating it, land it in others, or match other policies' peers.
// Every candidate is judged by the real evaluator on a relabelled copy of the objects, so what
// is reported is exactly what the cluster would allow; the search itself is bounded.

import type { KubeObject, Labels } from '@netpol-atlas/manifests';
import { type Analysis, analyze } from '../analyze.ts';
import { buildCluster } from '../cluster.ts';
import {
  type ConnectionSet,
  isEmptyConnections,
  NO_CONNECTIONS,
  subtractConnections,
} from '../connectionSet.ts';
import { type Cluster, NAMESPACE_NAME_LABEL, type WorkloadPeer } from '../model.ts';
import { compileSelector } from '../selectors.ts';
import {
  type EditOptions,
  editKey,
  editsBreaking,
  editsSatisfying,
  effectiveEdit,
  type LabelEdit,
  mergeEdits,
} from './labelCandidates.ts';
import { applyEdit, relabelNamespace, relabelWorkload } from './relabel.ts';
import {
  type LabelledPlace,
  policiesSelecting,
  type SelectorUse,
  selectorValues,
} from './selectorCatalogue.ts';

/** A peer, and the connections with it. */
export interface Target {
  /** `ns/name[Kind]` for workloads, `first-last[External]` for address ranges. */
  peer: string;
  kind: 'workload' | 'external';
  conn: ConnectionSet;
}

/** What one workload reaches and what reaches it, as an analysis says. */
export interface Reach {
  /** Destinations by peer id (egress of the workload AND ingress of each destination). */
  egress: ReadonlyMap<string, Target>;
  /** Sources by peer id. */
  ingress: ReadonlyMap<string, Target>;
}

/** The workload's row and column of an analysis (itself left out: always allowed). */
export function reachOf(analysis: Analysis, workload: WorkloadPeer): Reach {
  const egress = new Map<string, Target>();
  const ingress = new Map<string, Target>();
  const i = workload.index;
  for (const other of analysis.workloads) {
    if (other.index === i) continue;
    const out = analysis.between(i, other.index);
    if (!isEmptyConnections(out)) egress.set(other.id, { peer: other.id, kind: 'workload', conn: out });
    const back = analysis.between(other.index, i);
    if (!isEmptyConnections(back)) ingress.set(other.id, { peer: other.id, kind: 'workload', conn: back });
  }
  analysis.egressExternals.forEach((external, e) => {
    const conn = analysis.toExternal(i, e);
    if (!isEmptyConnections(conn)) egress.set(external.id, { peer: external.id, kind: 'external', conn });
  });
  analysis.ingressExternals.forEach((external, e) => {
    const conn = analysis.fromExternal(e, i);
    if (!isEmptyConnections(conn)) ingress.set(external.id, { peer: external.id, kind: 'external', conn });
  });
  return { egress, ingress };
}

/** What an edit changes for the workload, against today. */
export interface EditOutcome {
  edit: LabelEdit;
  /** Destinations it reaches with the edit and not today, or on more ports: the connections gained. */
  opens: Target[];
  /** Sources that reach it with the edit and not today, or on more ports: the connections gained. */
  exposes: Target[];
  /** Destinations it reaches today and no longer would. */
  loses: string[];
  /** Policies whose subject selects it today and would not (`ns/name`, or `Kind/name` cluster-wide). */
  leaves: string[];
  /** Policies whose subject would select it and does not today. */
  enters: string[];
  /** Other edits of the same labels with the same outcome. */
  alternatives: LabelEdit[];
}

/** How much of the search ran. */
export interface SearchStats {
  /** Relabelled clusters analysed. */
  evaluated: number;
  /** The bound on `evaluated`. */
  limit: number;
  /** Candidate edits left untried when the bound was reached (0: the search was complete). */
  untried: number;
}

/** What {@link searchEdits} needs. */
export interface EditSearch {
  cluster: Cluster;
  objects: readonly KubeObject[];
  workload: WorkloadPeer;
  /** Today's reach of the workload. */
  today: Reach;
  /** `pod`: edit the workload's pod labels; `namespace`: edit its namespace's labels. */
  mode: 'pod' | 'namespace';
  uses: readonly SelectorUse[];
  maxEvaluations: number;
}

function gained(after: ReadonlyMap<string, Target>, before: ReadonlyMap<string, Target>): Target[] {
  const out: Target[] = [];
  for (const [id, t] of after) {
    const more = subtractConnections(t.conn, before.get(id)?.conn ?? NO_CONNECTIONS);
    if (!isEmptyConnections(more)) out.push({ ...t, conn: more });
  }
  return out;
}

/** True when `a` gains at least everything `b` gains. */
function covers(a: EditOutcome, b: EditOutcome): boolean {
  return coveredTogether([a], b);
}

/** True when the outcomes in `parts`, together, gain everything `whole` gains. */
function coveredTogether(parts: readonly EditOutcome[], whole: EditOutcome): boolean {
  const within = (side: 'opens' | 'exposes') =>
    whole[side].every((t) => {
      let rest = t.conn;
      for (const part of parts) {
        const u = part[side].find((m) => m.peer === t.peer);
        if (u) rest = subtractConnections(rest, u.conn);
      }
      return isEmptyConnections(rest);
    });
  return within('opens') && within('exposes');
}

function gainsSomething(o: EditOutcome): boolean {
  return o.opens.length > 0 || o.exposes.length > 0;
}

function keysOf(edit: LabelEdit): string[] {
  return Object.keys(edit).sort();
}

function isSubsetOf(a: readonly string[], b: readonly string[]): boolean {
  return a.every((k) => b.includes(k));
}

/** Removing labels reads better than inventing values; then fewer set values; then by text. */
function preference(a: LabelEdit, b: LabelEdit): number {
  const sets = (e: LabelEdit) => Object.values(e).filter((v) => v !== null).length;
  const ka = editKey(a);
  const kb = editKey(b);
  return sets(a) - sets(b) || (ka < kb ? -1 : ka > kb ? 1 : 0);
}

/**
 * Edits of one mode that open something, each minimal (dropping any label of it loses part of
 * what it opens) and none dominated (no reported edit changes a subset of its labels and opens at
 * least as much, and the smaller reported edits within a larger one do not open, together,
 * everything it opens). Edits of the same labels with the same outcome are folded into one, the
 * others listed as alternatives. Undefined when the workload's objects are not among `objects`.
 */
export function searchEdits(search: EditSearch): { found: EditOutcome[]; stats: SearchStats } | undefined {
  const { cluster, objects, workload, mode } = search;
  if (!relabelWorkload(objects, workload, {})) return undefined;
  const namespaceLabels = cluster.namespaces.get(workload.namespace)?.labels ?? {};
  const current: Labels = mode === 'pod' ? workload.labels : namespaceLabels;
  const values = selectorValues(search.uses, mode);
  const options: EditOptions = {
    valuesFor: (key) => values.get(key) ?? [],
    immutable: mode === 'namespace' ? new Set([NAMESPACE_NAME_LABEL]) : undefined,
  };
  const candidates = candidateEdits(search, current, namespaceLabels, options);
  const stats: SearchStats = { evaluated: 0, limit: search.maxEvaluations, untried: 0 };
  const outcomes = new Map<string, EditOutcome | undefined>();

  /** The outcome of an edit (cached); undefined once the bound is reached for an edit not seen. */
  const evaluate = (edit: LabelEdit): EditOutcome | undefined => {
    const key = editKey(edit);
    if (outcomes.has(key)) return outcomes.get(key);
    if (stats.evaluated >= stats.limit) return undefined;
    stats.evaluated++;
    const outcome = evaluateEdit(search, edit);
    outcomes.set(key, outcome);
    return outcome;
  };

  const found = new Map<string, EditOutcome>();
  for (const candidate of candidates) {
    const key = editKey(candidate);
    if (!outcomes.has(key) && stats.evaluated >= stats.limit) {
      stats.untried++;
      continue;
    }
    let best = evaluate(candidate);
    if (!best || !gainsSomething(best)) continue;
    // Drop labels while what the edit opens stays open.
    for (let shrunk = true; shrunk && Object.keys(best.edit).length > 1; ) {
      shrunk = false;
      for (const k of keysOf(best.edit)) {
        const { [k]: _, ...rest } = best.edit;
        const smaller = evaluate(rest);
        // The bound cut the shrinking short: the change stays true, but may not be minimal.
        if (!smaller && !outcomes.has(editKey(rest))) stats.untried++;
        if (smaller && covers(smaller, best)) {
          best = smaller;
          shrunk = true;
          break;
        }
      }
    }
    found.set(editKey(best.edit), best);
  }
  return { found: minimalOutcomes([...found.values()]), stats };
}

/** Folds same-label same-outcome edits together and drops the dominated ones. */
function minimalOutcomes(all: readonly EditOutcome[]): EditOutcome[] {
  const sorted = [...all].sort(
    (a, b) => Object.keys(a.edit).length - Object.keys(b.edit).length || preference(a.edit, b.edit),
  );
  const folded: EditOutcome[] = [];
  for (const o of sorted) {
    const keys = keysOf(o.edit).join(',');
    const same = folded.find((f) => keysOf(f.edit).join(',') === keys && covers(f, o) && covers(o, f));
    if (same) same.alternatives.push(o.edit);
    else folded.push({ ...o, alternatives: [] });
  }
  // A change is dominated by one of no more labels that gains as much, and a larger change by
  // its smaller ones when together they gain everything it does: it adds nothing but their sum.
  const kept = folded.filter((o) => {
    const keys = keysOf(o.edit);
    const within = folded.filter((other) => other !== o && isSubsetOf(keysOf(other.edit), keys));
    if (within.some((other) => covers(other, o))) return false;
    return !coveredTogether(
      within.filter((other) => keysOf(other.edit).length < keys.length),
      o,
    );
  });
  const size = (o: EditOutcome) => o.opens.length + o.exposes.length;
  return kept.sort(
    (a, b) =>
      Object.keys(a.edit).length - Object.keys(b.edit).length ||
      size(b) - size(a) ||
      preference(a.edit, b.edit),
  );
}

function evaluateEdit(search: EditSearch, edit: LabelEdit): EditOutcome {
  const { cluster, objects, workload, today } = search;
  const relabelled =
    search.mode === 'pod'
      ? relabelWorkload(objects, workload, edit)
      : relabelNamespace(objects, workload.namespace, edit);
  const after = relabelled && buildCluster(relabelled, cluster.options);
  const moved = after?.workloads.find((w) => w.id === workload.id);
  const reach = after && moved ? reachOf(analyze(after), moved) : { egress: new Map(), ingress: new Map() };
  const place: LabelledPlace = {
    podLabels: workload.labels,
    namespace: workload.namespace,
    namespaceLabels: cluster.namespaces.get(workload.namespace)?.labels ?? {},
  };
  const edited: LabelledPlace =
    search.mode === 'pod'
      ? { ...place, podLabels: applyEdit(place.podLabels, edit) }
      : { ...place, namespaceLabels: applyEdit(place.namespaceLabels, edit) };
  const before = policiesSelecting(search.uses, place);
  const now = policiesSelecting(search.uses, edited);
  return {
    edit,
    opens: gained(reach.egress, today.egress),
    exposes: gained(reach.ingress, today.ingress),
    loses: [...today.egress.keys()].filter((id) => !reach.egress.has(id)),
    leaves: [...before].filter((id) => !now.has(id)).sort(),
    enters: [...now].filter((id) => !before.has(id)).sort(),
    alternatives: [],
  };
}

/**
 * The edits worth judging, most telling first: leaving each policy that applies to the workload
 * (and, for policies that can deny, each peer it matches), removing each label, entering each
 * policy that does not apply to it, matching each peer it does not match; removing every label
 * at once (to leave several policies); then the pairs of those (two ways of leaving, leave and
 * enter, leave and match, enter and match), for what needs both.
 */
function candidateEdits(
  search: EditSearch,
  current: Labels,
  namespaceLabels: Labels,
  options: EditOptions,
): LabelEdit[] {
  const { workload, mode } = search;
  const neighbours = search.cluster.workloads.filter((w) => w.namespace === workload.namespace);
  const relevant = search.uses.filter((use) => {
    if (use.selects !== mode) return false;
    if (mode === 'pod') {
      if (use.companion) return compileSelector(use.companion).matches(namespaceLabels);
      return use.namespace === undefined || use.namespace === workload.namespace;
    }
    // A namespace's labels matter for every pod in it: the workload, and the pods it would reach
    // or be reached by through its own policies' namespace selectors.
    if (!use.companion) return true;
    const companion = compileSelector(use.companion);
    return neighbours.some((w) => companion.matches(w.labels));
  });
  const leave: LabelEdit[] = [];
  const enter: LabelEdit[] = [];
  const match: LabelEdit[] = [];
  for (const use of relevant) {
    const matches = compileSelector(use.selector).matches(current);
    if (use.subject) {
      if (matches) leave.push(...editsBreaking(use.selector, current, options));
      else enter.push(...editsSatisfying(use.selector, current, options));
    } else if (!matches) {
      match.push(...editsSatisfying(use.selector, current, options));
    } else if (use.canDeny) {
      leave.push(...editsBreaking(use.selector, current, options));
    }
  }
  // Policies this search cannot read still decide on labels the workload has.
  for (const key of Object.keys(current)) {
    if (!options.immutable?.has(key)) leave.push({ [key]: null });
  }
  const out = new Map<string, LabelEdit>();
  const add = (edit: LabelEdit) => {
    const effective = effectiveEdit(edit, current);
    if (Object.keys(effective).length > 0) {
      const key = editKey(effective);
      if (!out.has(key)) out.set(key, effective);
    }
  };
  for (const edit of [...leave, ...enter, ...match]) add(edit);
  // Several policies may isolate it on different labels: without all of them at once it stays
  // isolated. Shrinking this one candidate finds the labels that matter.
  const all = Object.keys(current).filter((key) => !options.immutable?.has(key));
  if (all.length > 1) add(Object.fromEntries(all.map((key) => [key, null])));
  const cross = (xs: readonly LabelEdit[], ys: readonly LabelEdit[]) => {
    for (const x of xs) {
      for (const y of ys) {
        const merged = mergeEdits(x, y);
        if (merged) add(merged);
      }
    }
  };
  cross(leave, leave);
  cross(leave, enter);
  cross(leave, match);
  cross(enter, match);
  return [...out.values()];
}
