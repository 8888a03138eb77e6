// Box sizes shared by the layout (in the analysis worker) and the drawing (on the main thread).
// Kept apart from layout.ts so that the main chunk does not import ELK (1.6 MB) for three sizes.

/** Width and height of each kind of box, in graph units. */
export const NODE_SIZE = {
  workload: { width: 210, height: 62 },
  external: { width: 190, height: 48 },
  group: { width: 230, height: 66 },
};
