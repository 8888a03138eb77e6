import { expect, test } from './fixtures.ts';

const FRONTEND = 'frontend/frontend[Deployment]';
const STORE_API = 'store/store-api[Deployment]';

// The editor carries only what YAML editing needs (editor/monacoSetup.ts): the core, the YAML
// tokenizer and monaco-yaml's language service in its own worker. These check that the pieces
// still work together, offline, without the full monaco-editor entry.
test('the YAML editor highlights YAML and answers hovers from the inline schema', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.edge(FRONTEND, STORE_API).click();
  await page
    .getByRole('region', { name: 'Ingress side' })
    .getByRole('button', { name: /^demo\/policies\.yaml:\d+$/ })
    .click();
  await expect(page.getByTestId('editor')).toBeVisible();

  // The YAML tokenizer gives keys and values different token classes.
  // The last one: the first may sit under the sticky-scroll header.
  const key = page.locator('.monaco-editor .view-lines .view-line span', { hasText: /^podSelector$/ }).last();
  await expect(key).toBeVisible();
  const tokenClasses = await page
    .locator('.monaco-editor .view-line span span')
    .evaluateAll((spans) => new Set(spans.map((s) => s.className)).size);
  expect(tokenClasses).toBeGreaterThan(2);

  // monaco-yaml's worker reads the NetworkPolicy schema inlined in the bundle.
  await key.hover();
  await expect(page.locator('.monaco-hover:not(.hidden)')).toContainText('Label selector for', {
    timeout: 30_000,
  });
  expect(atlas.foreignRequests).toEqual([]);
});
