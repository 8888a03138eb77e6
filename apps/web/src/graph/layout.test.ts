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

  it('packs a big overview in rows, callers first, an expanded namespace laid out inside its box', async () => {
    // 300 collapsed namespaces (more than ELK packs in reasonable time), 3 address ranges, and
    // one expanded namespace whose workloads call each other.
    const groups = Array.from({ length: 300 }, (_, i) => ({ id: `ns:n${i}`, collapsed: true }));
    groups.push({ id: 'ns:open', collapsed: false });
    const workloads = ['a', 'b', 'c'].map((w) => ({ id: `open/${w}`, parent: 'ns:open' }));
    const ranges = ['r1', 'r2', 'r3'].map((id) => ({ id, parent: undefined }));
    // n7 calls everyone, r2 is called by everyone: n7 comes first, r2 last.
    const score: Record<string, number> = { 'ns:n7': 50, r2: -50 };
    const input = {
      groups,
      nodes: [...workloads, ...ranges],
      edges: [
        { id: 'open/a->open/b', source: 'open/a', target: 'open/b' },
        { id: 'open/b->open/c', source: 'open/b', target: 'open/c' },
      ],
      score,
    };
    const positions = await layoutGraph(input);
    const top = [...groups.map((g) => g.id), ...ranges.map((r) => r.id)];
    expect(Object.keys(positions).sort()).toEqual([...top, ...workloads.map((w) => w.id)].sort());
    for (const [i, a] of top.entries())
      for (const b of top.slice(i + 1))
        expect(overlaps(positions[a]!, positions[b]!), `${a} / ${b}`).toBe(false);
    const open = positions['ns:open']!;
    for (const w of workloads) {
      const box = positions[w.id]!;
      expect(box.x + box.width).toBeLessThanOrEqual(open.width);
      expect(box.y + box.height).toBeLessThanOrEqual(open.height);
    }
    // Reading order (rows, left to right) follows the score.
    const reading = [...top].sort(
      (a, b) => positions[a]!.y - positions[b]!.y || positions[a]!.x - positions[b]!.x,
    );
    expect(reading[0]).toBe('ns:n7');
    expect(reading.at(-1)).toBe('r2');
    // Roughly the canvas' shape, not one long row or column.
    const width = Math.max(...top.map((id) => positions[id]!.x + positions[id]!.width));
    const height = Math.max(...top.map((id) => positions[id]!.y + positions[id]!.height));
    expect(width / height).toBeGreaterThan(0.7);
    expect(width / height).toBeLessThan(2.8);
  });

  it('packs a namespace whose workloads all call each other in a grid of the canvas shape', async () => {
    // 12 workloads, every one calling every other (what a namespace no policy isolates looks like).
    const workloads = Array.from({ length: 12 }, (_, i) => ({ id: `open/w${i}`, parent: 'ns:open' }));
    const edges = workloads.flatMap((a) =>
      workloads.filter((b) => b !== a).map((b) => ({ id: `${a.id}->${b.id}`, source: a.id, target: b.id })),
    );
    const input = { groups: [{ id: 'ns:open', collapsed: false }], nodes: workloads, edges, score: {} };
    const positions = await layoutGraph(input);
    const open = positions['ns:open']!;
    const boxes = workloads.map((w) => positions[w.id]!);
    for (const [i, a] of boxes.entries()) {
      expect(a.x + a.width).toBeLessThanOrEqual(open.width);
      expect(a.y + a.height).toBeLessThanOrEqual(open.height);
      for (const b of boxes.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
    }
    // Rows and columns, not one chain of layers: several workloads share each row.
    const rows = new Set(boxes.map((b) => b.y));
    const columns = new Set(boxes.map((b) => b.x));
    expect(rows.size).toBeGreaterThan(1);
    expect(columns.size).toBeGreaterThan(1);
    expect(rows.size * columns.size).toBeLessThan(2 * workloads.length);
    expect(open.width / open.height).toBeGreaterThan(0.7);
    expect(open.width / open.height).toBeLessThan(2.8);
  });

  it('still layers a namespace whose workloads call a few others, callers above', async () => {
    const workloads = ['a', 'b', 'c', 'd'].map((w) => ({ id: `open/${w}`, parent: 'ns:open' }));
    const edges = [
      { id: 'open/a->open/b', source: 'open/a', target: 'open/b' },
      { id: 'open/a->open/c', source: 'open/a', target: 'open/c' },
      { id: 'open/a->open/d', source: 'open/a', target: 'open/d' },
    ];
    const input = { groups: [{ id: 'ns:open', collapsed: false }], nodes: workloads, edges, score: {} };
    const positions = await layoutGraph(input);
    for (const callee of ['b', 'c', 'd'])
      expect(positions['open/a']!.y + positions['open/a']!.height).toBeLessThan(
        positions[`open/${callee}`]!.y,
      );
  });
});
