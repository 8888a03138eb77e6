import { expect, test } from './fixtures.ts';

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

test('the import notice takes no clicks and goes away by itself after 6 s', async ({ atlas, page }) => {
  // The page's clock is Playwright's: time runs as usual until the test jumps it.
  await page.clock.install();
  await atlas.open();
  await page.getByTestId('import.files').setInputFiles({
    name: 'deny.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(POLICY),
  });
  const notice = atlas.toolbar().locator('output.notice', { hasText: 'Loaded 1 file' });
  await expect(notice).toBeVisible();
  // It floats over the side panel's tabs: clicks go through to them.
  await expect(notice).toHaveCSS('pointer-events', 'none');
  // Nothing else removes it: without its own timer it would stay up for good.
  await page.clock.fastForward(6_000);
  await expect(notice).toHaveCount(0);
});
