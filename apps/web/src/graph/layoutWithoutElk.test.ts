import { describe, expect, it, vi } from 'vitest';
import { layoutGraph } from './layout.ts';

// ELK as the layout worker has it before its first use: asking it anything is the cold start
// (over a second) an expansion must not wait for.
vi.mock('elkjs/lib/elk.bundled.js', () => ({
  default: class {
    layout(): never {
      throw new Error('ELK was asked for a layout');
    }
  },
}));

describe('layoutGraph without ELK', () => {
  it('expands a namespace of a big overview, layered, without asking ELK', async () => {
    const groups = Array.from({ length: 600 }, (_, i) => ({ id: `ns:n${i}`, collapsed: i !== 42 }));
    const workloads = Array.from({ length: 17 }, (_, i) => ({ id: `n42/w${i}`, parent: 'ns:n42' }));
    // A few calls inside: laid out in layers (a grid would need no layout at all).
    const edges = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({
      id: `w${i >> 1}->w${i}`,
      source: `n42/w${i >> 1}`,
      target: `n42/w${i}`,
    }));
    const positions = await layoutGraph({ groups, nodes: workloads, edges, score: {} });
    const box = positions['ns:n42']!;
    for (const w of workloads) {
      const at = positions[w.id]!;
      expect(at.x + at.width).toBeLessThanOrEqual(box.width);
      expect(at.y + at.height).toBeLessThanOrEqual(box.height);
    }
    expect(positions['n42/w0']!.y).toBeLessThan(positions['n42/w1']!.y);
  });
});
