import type { Page } from '@playwright/test';
import {
  connectionRows,
  connectionsCsv,
  sortConnectionRows,
} from '../apps/web/src/connections/connectionRows.test-helper.ts';
import { compileWorkspace } from '../apps/web/src/workspace/compileWorkspace.ts';
import { demoFiles, expect, test } from './fixtures.ts';
import { download, view } from './viewsFixtures.ts';

const FRONTEND = 'frontend/frontend[Deployment]';
const STORE_API = 'store/store-api[Deployment]';
const DEMO_DB = 'default/demo-db[StatefulSet]';

/** A namespace of `count` pods no policy selects: every pair may connect. */
function openNamespace(count: number): string {
  return Array.from(
    { length: count },
    (_, i) => `apiVersion: v1
kind: Pod
metadata: { name: pod-${i}, namespace: big, labels: { app: pod-${i} } }
spec: { containers: [{ name: c }] }
`,
  ).join('---\n');
}

/** `count` namespaces `ns-00`, `ns-01`… of one pod each, no policy: every pair may connect. */
function manyNamespaces(count: number): string {
  return Array.from(
    { length: count },
    (_, i) => `apiVersion: v1
kind: Pod
metadata: { name: pod, namespace: ns-${String(i).padStart(2, '0')}, labels: { app: pod } }
spec: { containers: [{ name: c }] }
`,
  ).join('---\n');
}

test.describe('deep links', () => {
  test('a selected edge survives a reload of its URL', async ({ atlas, page }) => {
    await atlas.open();
    await atlas.edge(FRONTEND, STORE_API).click();
    await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed: TCP 8080');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('from=');
    const url = page.url();
    // The link names the view only: no document text, no share.
    expect(url).not.toContain('share=');
    expect(url.length).toBeLessThan(200);

    await page.reload();
    await atlas.waitForGraph();
    await expect(atlas.edge(FRONTEND, STORE_API)).toHaveClass(/selected/);
    await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed: TCP 8080');
    expect(page.url()).toBe(url);
  });

  test('a link opens the named view, filter and panel', async ({ atlas, page }) => {
    await page.goto(
      `/#node=${encodeURIComponent(DEMO_DB)}&hide=frontend,store&proto=TCP&panel=findings&view=connections`,
    );
    await expect(view(page, 'Connections')).toHaveAttribute('aria-selected', 'true');
    await expect(atlas.tab('Findings')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByLabel('Show namespace frontend')).not.toBeChecked();
    await expect(page.getByLabel('Show namespace store')).not.toBeChecked();
    await expect(page.getByLabel('Show namespace default')).toBeChecked();
    await expect(page.getByLabel('Protocol')).toHaveValue('TCP');
    // The graph's filters narrow the table too: no connection of the hidden namespaces remains.
    const rows = page.locator('[data-testid^="connections.row."]');
    await expect(rows.first()).toBeVisible();
    for (const id of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!))) {
      expect(id).not.toMatch(/frontend\/|store\//);
    }
    await atlas.tab('Details').click();
    await expect(page.getByRole('region', { name: 'Workload details' })).toContainText(DEMO_DB);
    // Changing the view rewrites the link in place.
    await view(page, 'Graph').click();
    await expect.poll(() => page.evaluate(() => location.hash)).not.toContain('view=');
    await expect.poll(() => page.evaluate(() => location.hash)).not.toContain('panel=');
  });

  test('a share link can carry the view beside the workspace', async ({ atlas, page, browser }) => {
    await atlas.open();
    await atlas.edge(FRONTEND, STORE_API).click();
    await atlas.toolbarAction('Share link…');
    const dialog = page.getByRole('dialog', { name: 'Share link' });
    const link = dialog.getByTestId('share.url');
    expect(await link.inputValue()).toMatch(/#share=[A-Za-z0-9_-]+$/);
    await dialog.getByLabel('Open on the current view (selection, filters, panels)').check();
    const url = await link.inputValue();
    expect(url).toMatch(/#share=[A-Za-z0-9_-]+&from=.+&to=.+$/);

    // Someone else, with nothing saved, opens it: the workspace and the selected edge.
    const elsewhere = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const other = await elsewhere.newPage();
    await other.goto(url);
    await expect(other.getByTestId('graph')).toHaveAttribute('data-ready', 'true');
    await expect(other.getByTestId(`graph.edge.${FRONTEND}->${STORE_API}`)).toHaveClass(/selected/);
    await expect(other.getByTestId('explain.verdict')).toHaveText('Allowed: TCP 8080');
    // The workspace left the address bar (it is saved in the browser now); the view stays.
    await expect.poll(() => other.evaluate(() => location.hash)).not.toContain('share=');
    expect(await other.evaluate(() => location.hash)).toContain('from=');
    await elsewhere.close();
  });

  test('a link naming something the workspace lacks says so', async ({ atlas, page }) => {
    await page.goto(`/#node=${encodeURIComponent('nowhere/ghost[Pod]')}&port=99999`);
    await atlas.waitForGraph();
    await expect(page.getByText(/nowhere\/ghost\[Pod\], which this workspace does not have/)).toBeVisible();
    await expect(page.getByText(/"99999" is not a port number/)).toBeVisible();
  });
});

/** The graph's pan and zoom once it has stopped moving (fitView animates): the same on consecutive polls. */
async function steadyViewport(page: Page): Promise<string | null> {
  const transform = () => page.locator('.react-flow__viewport').getAttribute('style');
  let last = await transform();
  let steady = 0;
  await expect
    .poll(async () => {
      const now = await transform();
      steady = now === last ? steady + 1 : 0;
      last = now;
      return steady;
    })
    .toBeGreaterThanOrEqual(3);
  return last;
}

test.describe('switching views', () => {
  test('the graph waits hidden under the table and comes back as the reviewer left it', async ({
    atlas,
    page,
  }) => {
    await atlas.open();
    await steadyViewport(page);
    await page.getByRole('button', { name: 'Zoom In' }).click();
    const zoomed = await steadyViewport(page);

    await view(page, 'Connections').click();
    await expect(page.getByTestId('graph')).toBeHidden();
    // Nothing of it shows through the table: React Flow marks its nodes visible themselves.
    await expect(page.locator('[data-testid^="graph.node."]').first()).toBeHidden();
    // The table is on top: its rows take the clicks.
    await page.getByRole('button', { name: `Explain ${FRONTEND} to ${STORE_API}` }).click();
    await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed: TCP 8080');

    await view(page, 'Graph').click();
    await atlas.waitForGraph();
    // Not drawn and fitted anew: the same pan and zoom, with the table's selection shown.
    expect(await steadyViewport(page)).toBe(zoomed);
    await expect(atlas.edge(FRONTEND, STORE_API)).toHaveClass(/selected/);
  });
});

test.describe('connections table', () => {
  const model = compileWorkspace(demoFiles()).model;

  test('lists every allowed connection, sorts, filters, explains and exports', async ({ atlas, page }) => {
    await atlas.open();
    await view(page, 'Connections').click();
    const table = page.getByRole('table');
    await expect(page.getByTestId('connections.count')).toHaveText(`${model.edges.length} connections`);
    const rowIds = () =>
      page
        .locator('[data-testid^="connections.row."]')
        .evaluateAll((els) =>
          els.map((e) => e.getAttribute('data-testid')!.slice('connections.row.'.length)),
        );
    const rows = connectionRows(model, model.edges);
    expect(await rowIds()).toEqual(sortConnectionRows(rows, 'source', 'ascending').map((r) => r.id));

    const destination = table.getByRole('columnheader', { name: /Destination/ });
    await expect(destination).toHaveAttribute('aria-sort', 'none');
    await destination.getByRole('button').click();
    await expect(destination).toHaveAttribute('aria-sort', 'ascending');
    expect(await rowIds()).toEqual(sortConnectionRows(rows, 'target', 'ascending').map((r) => r.id));
    await destination.getByRole('button').click();
    await expect(destination).toHaveAttribute('aria-sort', 'descending');
    expect(await rowIds()).toEqual(sortConnectionRows(rows, 'target', 'descending').map((r) => r.id));

    await page.getByLabel('Filter connections').fill('store-api 8080');
    const expected = rows
      .filter((r) => r.target === STORE_API || r.source === STORE_API)
      .filter((r) => r.connection.includes('8080'));
    await expect(page.getByTestId('connections.count')).toHaveText(
      `${expected.length} of ${model.edges.length} connections`,
    );
    const row = page.getByTestId(`connections.row.${FRONTEND}->${STORE_API}`);
    await expect(row).toContainText('store/store-api');
    await row.getByRole('cell').nth(2).click();
    await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed: TCP 8080');
    await expect(row).toHaveAttribute('aria-current', 'true');

    await page.getByLabel('Filter connections').fill('');
    const csv = await download(page, () => page.getByRole('button', { name: 'Export CSV' }).click());
    expect(csv.name).toBe('connections.csv');
    expect(csv.bytes.toString('utf8')).toBe(connectionsCsv(sortConnectionRows(rows, 'target', 'descending')));
  });

  test('renders only the rows in view of a big table', async ({ atlas, page }) => {
    await atlas.open();
    const text = openNamespace(45);
    await atlas.pasteManifests(text);
    const total = compileWorkspace([...demoFiles(), { id: 'big', path: 'big.yaml', text }]).model.edges
      .length;
    await view(page, 'Connections').click();
    await expect(page.getByTestId('connections.count')).toHaveText(
      `${total.toLocaleString('en')} connections`,
    );
    const rows = page.locator('[data-testid^="connections.row."]');
    expect(await rows.count()).toBeLessThan(120);
    expect(total).toBeGreaterThan(1500);
    // The last row is reachable by scrolling.
    await page.locator('.table-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(page.locator(`tr[aria-rowindex="${total + 1}"]`)).toBeVisible();
    expect(await rows.count()).toBeLessThan(120);
  });

  test('the keyboard reaches rows not drawn yet, and the table announces them all', async ({
    atlas,
    page,
  }) => {
    await atlas.open();
    const text = openNamespace(45);
    await atlas.pasteManifests(text);
    const count = compileWorkspace([...demoFiles(), { id: 'big', path: 'big.yaml', text }]).model.edges
      .length;
    await view(page, 'Connections').click();
    const table = page.getByRole('table');
    await expect(page.getByTestId('connections.count')).toHaveText(
      `${count.toLocaleString('en')} connections`,
    );
    await expect(table).toHaveAttribute('aria-rowcount', String(count + 1));
    const focusedRow = () => page.locator('tr:focus-within').getAttribute('aria-rowindex');
    await table.getByRole('row').nth(1).getByRole('button').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedRow).toBe('3');
    await page.keyboard.press('Control+End');
    await expect.poll(focusedRow).toBe(String(count + 1));
    await page.keyboard.press('ArrowUp');
    await expect.poll(focusedRow).toBe(String(count));
    await page.keyboard.press('Control+Home');
    await expect.poll(focusedRow).toBe('2');
    // Still a few dozen rows drawn, and each keeps its role.
    expect(await table.getByRole('row').count()).toBeLessThan(120);
    // Enter on the focused row's button explains it.
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('explain.verdict')).toBeVisible();
  });
});

test.describe('namespace matrix', () => {
  test('counts pairs per namespace pair and lists a cell’s pairs, each explainable', async ({
    atlas,
    page,
  }) => {
    await atlas.open();
    await view(page, 'Matrix').click();
    await expect(page.getByRole('list', { name: 'Exposure legend' })).toContainText('over 75%');
    const cell = page.getByTestId('matrix.cell.frontend.store');
    // One workload each side, and it may connect: 1 of 1 pairs.
    await expect(cell).toHaveAccessibleName('frontend to store: 1 of 1 workload pairs allowed, 100%');
    await expect(cell).toContainText('1');
    await expect(cell).toContainText('100%');
    const none = page.getByTestId('matrix.cell.default.store');
    await expect(none).toHaveAccessibleName('default to store: 0 of 2 workload pairs allowed, 0%');
    await cell.click();
    const pairs = page.getByRole('region', { name: 'Connections from frontend to store' });
    await expect(pairs).toContainText(`${FRONTEND} → ${STORE_API}`);
    await pairs.getByRole('button', { name: `Explain ${FRONTEND} → ${STORE_API}` }).click();
    await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed: TCP 8080');
  });

  test('draws only the cells in view of a big matrix; arrow keys reach the others', async ({
    atlas,
    page,
  }) => {
    await atlas.open();
    // 80 namespaces of one open pod each: every pair across namespaces may connect.
    await atlas.pasteManifests(manyNamespaces(80));
    await view(page, 'Matrix').click();
    const table = page.locator('table.matrix-table');
    await expect(page.getByTestId('matrix.cell.ns-00.ns-01')).toBeVisible();
    const size = Number(await table.getAttribute('aria-colcount'));
    expect(size).toBeGreaterThan(80);
    await expect(table).toHaveAttribute('aria-rowcount', String(size));
    const drawn = await table.locator('td, th').count();
    expect(drawn).toBeLessThan((size * size) / 4);

    // From ns-00 -> ns-01 to the right, past the columns first drawn: each key lands on the next cell.
    await page.getByTestId('matrix.cell.ns-00.ns-01').focus();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    for (let j = 2; j < 60; j++) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(focused).toBe(`matrix.cell.ns-00.ns-${String(j).padStart(2, '0')}`);
    }
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('matrix.cell.ns-01.ns-59');
    const cell = page.getByTestId('matrix.cell.ns-01.ns-59');
    await expect(cell).toHaveAccessibleName('ns-01 to ns-59: 1 of 1 workload pairs allowed, 100%');
    expect(await cell.evaluate((e) => e.closest('td')?.getAttribute('aria-colindex'))).not.toBeNull();
    // Scrolling to the far corner draws it, and the cells drawn stay few.
    await page
      .locator('.matrix .table-scroll')
      .evaluate((el) => el.scrollTo(el.scrollWidth, el.scrollHeight));
    await expect(table.locator(`th[aria-colindex="${size}"]`)).toBeVisible();
    await page.screenshot({ path: '.test-results/matrix-big.png' });
    expect(await table.locator('td, th').count()).toBeLessThan((size * size) / 4);
  });
});
