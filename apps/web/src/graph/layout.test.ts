import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileWorkspace } from '../workspace/compileWorkspace.ts';
import { filterGraph, NO_FILTERS } from './filterGraph.ts';
import { groupGraph } from './groupGraph.ts';
import { type Box, layoutGraph } from './layout.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demoFiles = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));

const demo = compileWorkspace(demoFiles);

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('layoutGraph', () => {
  it('places every group and node, children inside their namespace box, none overlapping', async () => {
    const grouped = groupGraph(filterGraph(demo.model, NO_FILTERS), new Set(['downstream-2']));
    const positions = await layoutGraph(grouped);
    const ids = [...grouped.groups.map((g) => g.id), ...grouped.nodes.map((n) => n.id)];
    expect(Object.keys(positions).sort()).toEqual([...ids].sort());

    const workloadBox = positions[grouped.nodes.find((n) => n.parent)!.id]!;
    expect(workloadBox.width * workloadBox.height).toBeGreaterThan(0);
    for (const node of grouped.nodes.filter((n) => n.parent)) {
      const box = positions[node.id]!;
      const parent = positions[node.parent!]!;
      // Every workload is drawn the same size.
      expect([box.width, box.height]).toEqual([workloadBox.width, workloadBox.height]);
      // Children are placed relative to their group and fit inside it.
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(parent.width);
      expect(box.y + box.height).toBeLessThanOrEqual(parent.height);
    }
    const collapsed = grouped.groups.find((g) => g.collapsed)!;
    const collapsedBox = positions[collapsed.id]!;
    expect(collapsedBox.width * collapsedBox.height).toBeGreaterThan(0);

    const top = [
      ...grouped.groups.map((g) => g.id),
      ...grouped.nodes.filter((n) => !n.parent).map((n) => n.id),
    ];
    for (const [i, a] of top.entries())
      for (const b of top.slice(i + 1))
        expect(overlaps(positions[a]!, positions[b]!), `${a} / ${b}`).toBe(false);
  });

  it('lays out the same graph the same way', async () => {
    const grouped = groupGraph(filterGraph(demo.model, NO_FILTERS), new Set());
    expect(await layoutGraph(grouped)).toEqual(await layoutGraph(grouped));
  });
});
