import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { type Direction, nearestInDirection } from '../apps/web/src/graph/keyboardNav.ts';
import { expect, test } from './fixtures.ts';

const FRONTEND = 'frontend/frontend[Deployment]';
const STORE_API = 'store/store-api[Deployment]';

/** The graph item that has the focus: `node:<id>`, `edge:<id>`, or what else it is. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const kind = el?.dataset.navKind;
    if (kind) return `${kind}:${el.dataset.navId}`;
    return el
      ? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent ?? ''}`
      : 'none';
  });
}

/** Screen boxes of the nodes the keyboard moves over (workloads, ranges, collapsed namespaces). */
async function nodeBoxes(page: Page) {
  const list = await page.locator('[data-nav-kind="node"]').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { id: (e as HTMLElement).dataset.navId!, x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
  return new Map(list.map((b) => [b.id, b]));
}

test('the graph is one Tab stop: Tab lands on a node, the next Tab leaves the nodes and edges', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  // Exactly one node or edge label is in the Tab order.
  await expect(page.locator('[data-nav-kind][tabindex="0"]')).toHaveCount(1);
  await expect(page.locator('.react-flow__node[tabindex], .react-flow__edge[tabindex]')).toHaveCount(0);

  // Tab from the search box to the graph: nothing but the toolbar, the panels and one node on the way.
  await page.getByLabel('Search workloads').focus();
  let stops = 0;
  while (!(await focused(page)).startsWith('node:') && stops < 60) {
    await page.keyboard.press('Tab');
    stops++;
    expect(await focused(page), 'no edge is a Tab stop').not.toMatch(/^edge:/);
  }
  expect(await focused(page)).toMatch(/^node:/);
  // Tab again: out of the nodes and edges (to the graph's controls), not to another node or edge.
  await page.keyboard.press('Tab');
  expect(await focused(page)).not.toMatch(/^(node|edge):/);
  // Shift+Tab comes back to the same node.
  await page.keyboard.press('Shift+Tab');
  expect(await focused(page)).toMatch(/^node:/);
});

test('a focused node shows a focus ring, and Enter or Space select and explain it', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  const node = atlas.node(FRONTEND);
  await node.focus();
  await expect(node).toBeFocused();
  const ring = await node.evaluate((e) => {
    const s = getComputedStyle(e);
    return { style: s.outlineStyle, width: Number.parseFloat(s.outlineWidth) };
  });
  expect(ring.style).not.toBe('none');
  expect(ring.width).toBeGreaterThanOrEqual(2);

  // Enter selects it and shows its details, also when another tab was open.
  await atlas.tab('Problems').click();
  await node.focus();
  await page.keyboard.press('Enter');
  await expect(node).toHaveAttribute('aria-pressed', 'true');
  await expect(atlas.tab('Details')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Workload details' })).toContainText('frontend');

  const store = atlas.node(STORE_API);
  await store.focus();
  await page.keyboard.press(' ');
  await expect(store).toHaveAttribute('aria-pressed', 'true');
  await expect(node).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('region', { name: 'Workload details' })).toContainText('store-api');
});

test('arrow keys move to the nearest node in that direction', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.node(STORE_API).focus();
  for (const [key, direction] of [
    ['ArrowRight', 'right'],
    ['ArrowDown', 'down'],
    ['ArrowLeft', 'left'],
    ['ArrowUp', 'up'],
    ['ArrowLeft', 'left'],
  ] as const) {
    const from = (await focused(page)).slice('node:'.length);
    const boxes = await nodeBoxes(page);
    const expected = nearestInDirection(boxes, [...boxes.keys()], from, direction as Direction);
    await page.keyboard.press(key);
    expect(await focused(page), `${key} from ${from}`).toBe(`node:${expected ?? from}`);
    // The roving tab stop follows the focus.
    await expect(page.locator('[data-nav-kind][tabindex="0"]')).toHaveAttribute(
      'data-nav-id',
      expected ?? from,
    );
  }
  // Every move went somewhere: the demo has a node in each of these directions.
  expect(await focused(page)).not.toBe(`node:${STORE_API}`);
});

test('E steps into a node’s connections; arrows go through them, Enter explains, Escape goes back', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  await atlas.node(FRONTEND).focus();
  await page.keyboard.press('e');
  const first = await focused(page);
  expect(first).toMatch(/^edge:/);
  expect(first).toContain(FRONTEND);
  const edge = page.locator(':focus');
  await expect(edge).toHaveAttribute('tabindex', '0');
  const ring = await edge.evaluate((e) => getComputedStyle(e).outlineStyle);
  expect(ring).not.toBe('none');

  // Every connection of frontend, in and out, and only those, then round again.
  const seen = new Set<string>([first]);
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('ArrowDown');
    const now = await focused(page);
    expect(now).toContain(FRONTEND);
    if (now === first) break;
    seen.add(now);
  }
  const expected = (await atlas.edgeIds()).filter((id) => id.split('->').includes(FRONTEND));
  expect([...seen].map((s) => s.slice('edge:'.length)).sort()).toEqual(expected.sort());

  await page.keyboard.press('ArrowDown');
  const chosen = (await focused(page)).slice('edge:'.length);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('explain.verdict')).toHaveText(/^Allowed/);
  await expect(page.getByRole('region', { name: 'Connection details' })).toBeVisible();
  await expect(page.getByTestId(`graph.edge.${chosen}`)).toHaveAttribute('aria-pressed', 'true');

  await page.keyboard.press('Escape');
  expect(await focused(page)).toBe(`node:${FRONTEND}`);
});

test('Space on an edge selects and explains it', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.node(FRONTEND).focus();
  await page.keyboard.press('e');
  const id = (await focused(page)).slice('edge:'.length);
  await page.keyboard.press(' ');
  await expect(page.getByTestId(`graph.edge.${id}`)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('explain.verdict')).toBeVisible();
});

test('keyboard use keeps axe-core clean', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.node(FRONTEND).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('e');
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
