import { asNodeId, edgeId, parseEdgeId, parsePolicyRef } from '../model/index.ts';
import type { AuthoringDialog, Selection } from './types.ts';

// The store takes typed ids only (`select`, `openDialog`). Where an id arrives as plain text (React
// Flow's nodes and edges, a table row, a finding's subject, a search result), the view reads it
// here, through the id module, once. An id that is no id of its kind selects nothing: a stale
// list row or a link can name anything.

/** The selection of a node as drawn; nothing selected when `id` is no node id. */
export function nodeSelection(id: string): Selection {
  const node = asNodeId(id);
  return node && { kind: 'node', id: node };
}

/**
 * The selection of an edge as drawn (React Flow's, a table row's); nothing selected when its ends
 * are not node ids. Its id is rebuilt from its ends, keeping whether it is an Admin denial
 * (`denied:`).
 */
export function edgeSelection(edge: { id: string; source: string; target: string }): Selection {
  const source = asNodeId(edge.source);
  const target = asNodeId(edge.target);
  if (!source || !target) return undefined;
  const drawn = parseEdgeId(edge.id);
  const denied = drawn?.source === source && drawn.target === target && drawn.denied;
  return { kind: 'edge', id: edgeId(source, target, denied), source, target };
}

/** The selection of a policy (`ns/name`, or `<Kind>/<name>` for a cluster policy); nothing when it is neither. */
export function policySelection(id: string): Selection {
  const policy = parsePolicyRef(id);
  return policy && { kind: 'policy', id: policy.id };
}

/** The connect dialog on a connection drawn between two nodes; an end that is no node id is left to pick. */
export function connectDialog(src: string, dst: string): AuthoringDialog {
  return { kind: 'connect', src: asNodeId(src), dst: asNodeId(dst) };
}
