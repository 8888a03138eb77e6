import { expect, test } from './authoringFixtures.ts';

const DEMO = 'default/demo[Deployment]';
const STORE_API = 'store/store-api[Deployment]';

// A laptop screen and a desktop one: the same review must be possible on both.
for (const viewport of [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('the graph gets a fair share of the screen and the toolbar is one row', async ({ atlas, page }) => {
      await atlas.open();
      const graph = (await page.getByTestId('graph').boundingBox())!;
      const share = (graph.width * graph.height) / (viewport.width * viewport.height);
      expect(share, 'graph area / viewport area').toBeGreaterThanOrEqual(0.45);

      const bar = (await atlas.toolbar().boundingBox())!;
      expect(bar.width).toBeLessThanOrEqual(viewport.width);
      // One row: every visible control of the bar sits on the same line, inside the bar.
      const rows = await atlas
        .toolbar()
        .locator('button:visible, select:visible, input:visible')
        .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top / 10)));
      expect(rows.length).toBeGreaterThan(5);
      expect(new Set(rows).size, 'rows of controls').toBe(1);
      expect(bar.height).toBeLessThan(60);
      const right = await atlas
        .toolbar()
        .locator('button:visible, select:visible, input:visible')
        .evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)));
      expect(right).toBeLessThanOrEqual(viewport.width);
    });

    test('Accept in the authoring preview is on screen', async ({ atlas, authoring, page }) => {
      await atlas.open();
      await atlas.toolbarAction('Connect…');
      const dialog = authoring.dialog('Allow a connection');
      await dialog.getByRole('combobox', { name: 'From', exact: true }).selectOption(DEMO);
      await dialog.getByRole('combobox', { name: 'To', exact: true }).selectOption(STORE_API);
      await expect(authoring.list(dialog, 'plan.added')).toHaveText([`${DEMO} → ${STORE_API}: TCP 8080`]);
      const accept = dialog.getByRole('button', { name: 'Accept' });
      await expect(accept).toBeEnabled();
      const box = (await accept.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      // On screen and not covered by the scrolling preview: a real click lands on it.
      await accept.click();
      await expect(dialog).toBeHidden();
      await atlas.waitForGraph();
      await expect(atlas.edge(DEMO, STORE_API)).toHaveText('TCP 8080');
      await expect(page.getByTestId('graph')).toBeVisible();
    });

    test('side panels hide, show and resize, and the layout survives a reload', async ({ atlas, page }) => {
      await atlas.open();
      const graphWidth = async () => (await page.getByTestId('graph').boundingBox())!.width;
      const before = await graphWidth();

      await page.getByRole('button', { name: 'Hide side panel' }).click();
      await expect(atlas.panel('side')).toHaveAttribute('data-open', 'false');
      await expect(page.getByRole('tab', { name: 'Details' })).toBeHidden();
      expect(await graphWidth()).toBeGreaterThan(before + 250);

      // The filters start hidden on a narrow screen: open them whatever the start.
      if ((await atlas.panel('filters').getAttribute('data-open')) === 'false')
        await page.getByRole('button', { name: 'Show filters' }).click();
      await expect(atlas.panel('filters')).toHaveAttribute('data-open', 'true');
      const splitter = page.getByRole('separator', { name: 'Resize filters' });
      const widthBefore = Number(await splitter.getAttribute('aria-valuenow'));
      await splitter.focus();
      await page.keyboard.press('Home');
      await expect(splitter).toHaveAttribute('aria-valuenow', '180');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await expect(splitter).toHaveAttribute('aria-valuenow', '212');
      expect(widthBefore).not.toBe(212);
      const filtersBox = (await atlas.panel('filters').boundingBox())!;
      expect(Math.round(filtersBox.width)).toBe(212);

      await page.reload();
      await atlas.waitForGraph();
      await expect(atlas.panel('side')).toHaveAttribute('data-open', 'false');
      await expect(atlas.panel('filters')).toHaveAttribute('data-open', 'true');
      await expect(page.getByRole('separator', { name: 'Resize filters' })).toHaveAttribute(
        'aria-valuenow',
        '212',
      );

      await page.getByRole('button', { name: 'Show side panel' }).click();
      await expect(page.getByRole('tab', { name: 'Details' })).toBeVisible();
      // Enter on a splitter hides its panel (the window-splitter pattern).
      await page.getByRole('separator', { name: 'Resize filters' }).press('Enter');
      await expect(atlas.panel('filters')).toHaveAttribute('data-open', 'false');
      await page.reload();
      await atlas.waitForGraph();
      await expect(atlas.panel('side')).toHaveAttribute('data-open', 'true');
      await expect(atlas.panel('filters')).toHaveAttribute('data-open', 'false');
    });

    test('a side panel resizes by dragging its splitter', async ({ atlas, page }) => {
      await atlas.open();
      const splitter = page.getByRole('separator', { name: 'Resize side panel' });
      const panelBefore = (await atlas.panel('side').boundingBox())!;
      const handle = (await splitter.boundingBox())!;
      await page.mouse.move(handle.x + handle.width / 2, handle.y + 200);
      await page.mouse.down();
      await page.mouse.move(handle.x + handle.width / 2 + 60, handle.y + 200, { steps: 6 });
      await page.mouse.up();
      await expect
        .poll(async () => Math.round((await atlas.panel('side').boundingBox())!.width))
        .toBe(Math.round(panelBefore.width - 60));
    });
  });
}

test.describe('at 1024×700', () => {
  test.use({ viewport: { width: 1024, height: 700 } });

  test('what does not fit the toolbar is in its More menu, by keyboard too', async ({ atlas, page }) => {
    await atlas.open();
    const more = atlas.toolbar().getByRole('button', { name: /^More/ });
    await expect(more).toHaveAttribute('aria-haspopup', 'menu');
    await expect(more).toHaveAttribute('aria-expanded', 'false');
    await more.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'More' });
    await expect(menu).toBeVisible();
    await expect(more).toHaveAttribute('aria-expanded', 'true');
    // Focus moves into the menu, onto its first item.
    await expect(menu.getByRole('menuitem').first()).toBeFocused();
    await expect(menu.getByRole('menuitem', { name: 'Share link…' })).toBeVisible();
    await expect(menu.getByRole('menuitemradio', { name: 'Calico' })).toHaveAttribute(
      'aria-checked',
      'false',
    );
    await expect(menu.getByRole('menuitemradio', { name: 'Upstream' })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(more).toBeFocused();

    // Arrow keys reach an item; Enter runs it as the bar's own button would.
    await page.keyboard.press('ArrowDown');
    await expect(menu).toBeVisible();
    const share = menu.getByRole('menuitem', { name: 'Share link…' });
    for (let i = 0; i < 20 && !(await share.evaluate((e) => e === document.activeElement)); i++)
      await page.keyboard.press('ArrowDown');
    await expect(share).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Share link' })).toBeVisible();
    await page.getByRole('dialog', { name: 'Share link' }).getByRole('button', { name: 'Close' }).click();

    // A radio item changes the CNI profile.
    await more.click();
    await menu.getByRole('menuitemradio', { name: 'Calico' }).click();
    await expect(menu).toBeHidden();
    await more.click();
    await expect(menu.getByRole('menuitemradio', { name: 'Calico' })).toHaveAttribute('aria-checked', 'true');
  });

  test('dialogs keep their actions in view while the body scrolls', async ({ atlas, authoring, page }) => {
    await atlas.open();
    await atlas.toolbarAction('Connect…');
    const dialog = authoring.dialog('Allow a connection');
    await dialog.getByRole('combobox', { name: 'From', exact: true }).selectOption(DEMO);
    await dialog.getByRole('combobox', { name: 'To', exact: true }).selectOption(STORE_API);
    await expect(authoring.list(dialog, 'plan.added')).toHaveCount(1);
    const title = dialog.getByRole('heading', { name: 'Allow a connection' });
    const cancel = dialog.getByRole('button', { name: 'Cancel' });
    // Scroll the body to its top and to its end: title and actions stay on screen throughout.
    for (const to of ['top', 'bottom'] as const) {
      await dialog
        .locator('.dialog-body')
        .evaluate((el, where) => el.scrollTo(0, where === 'top' ? 0 : el.scrollHeight), to);
      for (const fixed of [title, cancel]) {
        const box = (await fixed.boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThanOrEqual(700);
      }
    }
    await cancel.click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('graph')).toBeVisible();
  });
});
