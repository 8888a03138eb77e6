import type { Page } from '@playwright/test';
import { expect, test } from './authoringFixtures.ts';

const DEMO = 'default/demo[Deployment]';
const STORE_API = 'store/store-api[Deployment]';
const FRONTEND = 'frontend/frontend[Deployment]';

type Rect = { x: number; y: number; width: number; height: number };

/** Screen boxes of every drawn node, by id. */
async function nodeRects(page: Page): Promise<Record<string, Rect>> {
  const list = await page.locator('[data-nav-kind="node"]').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return [
        (e as HTMLElement).dataset.navId!,
        { x: r.x, y: r.y, width: r.width, height: r.height },
      ] as const;
    }),
  );
  return Object.fromEntries(list);
}

async function viewportTransform(page: Page): Promise<string | null> {
  return page.locator('.react-flow__viewport').getAttribute('style');
}

/** Waits until the viewport has stopped moving (fitView animates): the same on consecutive polls. */
async function settled(page: Page): Promise<string | null> {
  let last = await viewportTransform(page);
  let steady = 0;
  await expect
    .poll(async () => {
      const now = await viewportTransform(page);
      steady = now === last ? steady + 1 : 0;
      last = now;
      return steady;
    })
    .toBeGreaterThanOrEqual(3);
  return last;
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('an accepted change keeps every node in place and the view where the reviewer left it', async ({
  atlas,
  authoring,
  page,
}) => {
  await atlas.open();
  await settled(page);
  // The reviewer zooms in: the view is theirs now.
  await page.getByRole('button', { name: 'Zoom In' }).click();
  const view = await settled(page);
  const before = await nodeRects(page);
  expect(Object.keys(before).length).toBeGreaterThan(3);

  await authoring.connectWithPickers(DEMO, STORE_API);
  const dialog = authoring.dialog('Allow a connection');
  await dialog.getByRole('button', { name: 'Accept' }).click();
  await expect(dialog).toBeHidden();
  await atlas.waitForGraph();
  await expect(atlas.edge(DEMO, STORE_API)).toBeAttached();
  expect(await settled(page)).toBe(view);
  expect(await nodeRects(page)).toEqual(before);

  // Undo is an edit too.
  await page.getByRole('button', { name: 'Undo' }).click();
  await atlas.waitForGraph();
  await expect(atlas.edge(DEMO, STORE_API)).toHaveCount(0);
  expect(await settled(page)).toBe(view);
  expect(await nodeRects(page)).toEqual(before);
});

test('a new workload appears inside its namespace; nothing else is covered', async ({ atlas, page }) => {
  await atlas.open();
  const view = await settled(page);
  const before = await nodeRects(page);
  await atlas.pasteManifests(`apiVersion: v1
kind: Pod
metadata: { name: probe, namespace: frontend, labels: { app: frontend } }
spec: { containers: [{ name: c }] }
`);
  await atlas.waitForGraph();
  const probe = atlas.node('frontend/probe[Pod]');
  await expect(probe).toBeVisible();
  expect(await settled(page)).toBe(view);
  const after = await nodeRects(page);
  // frontend's own workload stays put; the newcomer sits inside the frontend box, under it.
  expect(after[FRONTEND]).toEqual(before[FRONTEND]);
  const box = (await page.getByTestId('graph.namespace.frontend').boundingBox())!;
  const added = after['frontend/probe[Pod]']!;
  expect(added.x).toBeGreaterThanOrEqual(box.x);
  expect(added.y).toBeGreaterThanOrEqual(box.y);
  expect(added.x + added.width).toBeLessThanOrEqual(box.x + box.width + 1);
  expect(added.y + added.height).toBeLessThanOrEqual(box.y + box.height + 1);
  // No node is hidden under another one or under the grown namespace box.
  const ids = Object.keys(after);
  for (const a of ids)
    for (const b of ids) if (a < b) expect(overlaps(after[a]!, after[b]!), `${a} / ${b}`).toBe(false);
  const others = ids.filter((id) => !id.startsWith('frontend/'));
  for (const id of others) expect(overlaps(after[id]!, box), id).toBe(false);
});

test('a new workspace is laid out afresh and fitted', async ({ atlas, page }) => {
  await atlas.open();
  await page.getByRole('button', { name: 'Zoom In' }).click();
  const zoomed = await settled(page);
  await page.getByRole('combobox', { name: 'Sample' }).selectOption({ index: 1 });
  await atlas.waitForGraph();
  await expect.poll(async () => settled(page)).not.toBe(zoomed);
  // The whole new graph is on screen.
  const graph = (await page.getByTestId('graph').boundingBox())!;
  for (const rect of Object.values(await nodeRects(page))) {
    expect(rect.x).toBeGreaterThanOrEqual(graph.x - 1);
    expect(rect.x + rect.width).toBeLessThanOrEqual(graph.x + graph.width + 1);
  }
});

test('edge labels sit clear of the nodes, and an edge is clickable along its path', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  await settled(page);
  const nodes = Object.entries(await nodeRects(page));
  const labels = await page.locator('[data-testid^="graph.edge."]').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return {
        id: e.getAttribute('data-testid')!,
        rect: { x: r.x, y: r.y, width: r.width, height: r.height },
        onTop: top === e || e.contains(top),
      };
    }),
  );
  expect(labels.length).toBeGreaterThan(10);
  for (const label of labels) {
    expect(label.onTop, `${label.id} is the topmost thing at its centre`).toBe(true);
    for (const [id, rect] of nodes) expect(overlaps(label.rect, rect), `${label.id} over ${id}`).toBe(false);
  }

  // Along frontend -> store-api, away from its label and a little off the line (the
  // interaction path is wider than the drawn one): wherever no node covers it, a click selects it.
  const id = `${FRONTEND}->${STORE_API}`;
  const samples = await page
    .locator(`.react-flow__edge[data-id="${id}"] .react-flow__edge-interaction`)
    .evaluate((path: SVGPathElement) => {
      const edge = path.closest('.react-flow__edge')!;
      const label = document.querySelector(`[data-testid="graph.edge.${edge.getAttribute('data-id')}"]`)!;
      const m = path.getScreenCTM()!;
      const out: { x: number; y: number; hitsEdge: boolean; hitsAnEdge: boolean; underNode: boolean }[] = [];
      for (let i = 1; i < 20; i++) {
        const at = path.getPointAtLength((path.getTotalLength() * i) / 20);
        const x = at.x * m.a + at.y * m.c + m.e + 6;
        const y = at.x * m.b + at.y * m.d + m.f;
        const top = document.elementFromPoint(x, y);
        if (!top || label.contains(top)) continue;
        out.push({
          x,
          y,
          hitsEdge: edge.contains(top),
          hitsAnEdge: top.closest('.react-flow__edge') !== null,
          underNode: top.closest('[data-nav-kind]') !== null,
        });
      }
      return out;
    });
  // Every point not under a node is an edge's (this one's, or one crossing it: never a namespace
  // box's), and most of them this one's.
  const open = samples.filter((p) => !p.underNode);
  expect(open.filter((p) => !p.hitsAnEdge)).toEqual([]);
  const own = open.filter((p) => p.hitsEdge);
  expect(own.length).toBeGreaterThanOrEqual(open.length / 2);
  await page.mouse.click(own[0]!.x, own[0]!.y);
  await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed: TCP 8080');
  await expect(atlas.edge(FRONTEND, STORE_API)).toHaveAttribute('aria-pressed', 'true');
});
