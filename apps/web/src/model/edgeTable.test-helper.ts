// A watch on `model.edges`: reading it builds every edge of a hydrated model (a million on
// 10,000 workloads), which the views must not do for one selection.
import type { GraphModel } from './types.ts';

/** Counts the reads of `model.edges` from now on; they still answer as before. */
export function countEdgeReads(model: GraphModel): () => number {
  const descriptor = Object.getOwnPropertyDescriptor(model, 'edges');
  let reads = 0;
  Object.defineProperty(model, 'edges', {
    enumerable: true,
    configurable: true,
    get: () => {
      reads++;
      return descriptor?.get ? descriptor.get.call(model) : descriptor?.value;
    },
  });
  return () => reads;
}
