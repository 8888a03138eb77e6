import { asNodeId, type NodeId } from './ids.ts';

/** A node id written in a test, read through the id module: a typo throws instead of passing as an id. */
export function nodeId(text: string): NodeId {
  const id = asNodeId(text);
  if (id === undefined) throw new Error(`not a node id: ${text}`);
  return id;
}
