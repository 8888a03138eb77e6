import { type AtlasPage, expect, test } from './fixtures.ts';

// The cluster-tiers sample: ClusterNetworkPolicy Admin and Baseline tiers around NetworkPolicies.
const VAULT = 'vault/vault[StatefulSet]';
const GRAFANA = 'monitoring/grafana[Deployment]';
const PROMETHEUS = 'monitoring/prometheus[StatefulSet]';
const FRONTEND = 'shop/frontend[Deployment]';
const CART = 'shop/cart[Deployment]';
const WORDPRESS = 'blog/wordpress[Deployment]';

async function openTiersSample(atlas: AtlasPage): Promise<void> {
  await atlas.open();
  await atlas.page.getByRole('combobox', { name: 'Sample' }).selectOption({ label: 'Cluster-wide tiers' });
  await expect(atlas.node(VAULT)).toBeVisible();
  await atlas.waitForGraph();
}

test('explains an edge decided in each tier: Admin, NetworkPolicy, Baseline', async ({ atlas, page }) => {
  await openTiersSample(atlas);
  const details = page.getByRole('region', { name: 'Connection details' });

  // Admin: only monitoring may reach the vault namespace.
  await atlas.edge(GRAFANA, VAULT).click();
  await expect(page.getByTestId('edge.decidedBy')).toHaveText('Admin tier');
  const adminIngress = page.getByTestId('explain.tiers.Ingress');
  await expect(adminIngress.getByRole('listitem', { name: 'Admin tier' })).toContainText(
    'ClusterNetworkPolicy/protect-vault (priority 10) rule 0 “allow-monitoring” accepts All Connections',
  );
  await expect(adminIngress.getByRole('listitem', { name: 'NetworkPolicy layer' })).toContainText(
    'not reached',
  );
  await page.screenshot({ path: '.test-results/tiers-admin.png' });
  // The deciding rule links to its YAML line.
  await adminIngress
    .getByRole('listitem', { name: 'Admin tier' })
    .getByRole('button', { name: /^samples\/cluster-tiers\/manifests\.yaml:\d+$/ })
    .click();
  await expect(atlas.tab('YAML')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('editor')).toBeVisible();
  await atlas.tab('Details').click();

  // NetworkPolicy: the Admin tier passes shop to its own NetworkPolicies.
  await atlas.edge(FRONTEND, CART).click();
  await expect(page.getByTestId('edge.decidedBy')).toHaveText('NetworkPolicy');
  const npIngress = page.getByTestId('explain.tiers.Ingress');
  await expect(npIngress.getByRole('listitem', { name: 'Admin tier' })).toContainText(
    'ClusterNetworkPolicy/delegate-apps (priority 20) rule 0 “namespaces-decide-ingress” passes on',
  );
  await expect(npIngress.getByRole('listitem', { name: 'NetworkPolicy layer' })).toContainText('decides');
  await expect(details).toContainText('shop/cart-from-frontend');

  // Baseline: wordpress has no NetworkPolicy, so the Baseline tier lets monitoring scrape it.
  await atlas.edge(PROMETHEUS, WORDPRESS).click();
  await expect(page.getByTestId('edge.decidedBy')).toHaveText('Baseline tier');
  const baseIngress = page.getByTestId('explain.tiers.Ingress');
  await expect(baseIngress.getByRole('listitem', { name: 'Baseline tier' })).toContainText(
    'ClusterNetworkPolicy/default-deny (priority 0) rule 0 “monitoring-scrapes” accepts',
  );
  await expect(baseIngress.getByRole('listitem', { name: 'NetworkPolicy layer' })).toContainText(
    'no NetworkPolicy isolates',
  );
  await page.screenshot({ path: '.test-results/tiers-baseline.png' });
});

test('shows connections denied by the Admin tier on demand, distinct from allowed ones', async ({
  atlas,
  page,
}) => {
  await openTiersSample(atlas);
  const denied = page.getByTestId(`graph.edge.denied:${FRONTEND}->${VAULT}`);
  await expect(denied).toHaveCount(0);
  await page.getByRole('checkbox', { name: /show connections denied by the Admin tier/ }).check();
  await expect(denied).toBeVisible();
  await expect(denied).toContainText('denied');
  // Every denied pair into the vault, and the allowed monitoring edges stay as they were.
  const deniedIds = (await atlas.edgeIds()).filter((id) => id.startsWith('denied:'));
  expect(deniedIds).toEqual(
    ['blog/mysql[StatefulSet]', WORDPRESS, CART, FRONTEND].map((src) => `denied:${src}->${VAULT}`).sort(),
  );
  await expect(atlas.edge(GRAFANA, VAULT)).toBeVisible();
  await atlas.waitForGraph();
  await page.screenshot({ path: '.test-results/tiers-denied.png' });

  await denied.click();
  const details = page.getByRole('region', { name: 'Connection details' });
  await expect(details.getByRole('heading', { name: 'Why is this denied?' })).toBeVisible();
  await expect(page.getByTestId('edge.tiers')).toContainText(
    'ClusterNetworkPolicy/protect-vault (priority 10) ingress rule 1 “deny-everyone-else”: Deny',
  );
  await expect(page.getByTestId('explain.verdict')).toHaveText(/^Denied/);

  await page.getByRole('checkbox', { name: /show connections denied by the Admin tier/ }).uncheck();
  await expect(denied).toHaveCount(0);
});

test('lists policies by tier, highlights a cluster policy, and labels Node and domain peers', async ({
  atlas,
  page,
}) => {
  await openTiersSample(atlas);
  const filters = page.getByRole('complementary', { name: 'Filters' });
  if ((await atlas.panel('filters').getAttribute('data-open')) !== 'true')
    await atlas.panel('filters').getByRole('button').click();
  const headings = await filters.locator('h3.policy-group').allTextContents();
  expect(headings.map((h) => h.replace(/\s*\d+$/, ''))).toEqual([
    'Admin tier',
    'NetworkPolicy · blog',
    'NetworkPolicy · monitoring',
    'NetworkPolicy · shop',
    'NetworkPolicy · vault',
    'Baseline tier',
  ]);
  await filters.getByRole('button', { name: /cart-egress$/ }).click();
  await expect(atlas.node(CART)).toHaveClass(/policy-selects/);
  await expect(atlas.node('dns:api.stripe.com')).toHaveClass(/policy-admits/);
  await expect(atlas.node(VAULT)).toHaveClass(/dimmed/);
  await expect(page.getByTestId('policy.tier')).toContainText('ClusterNetworkPolicy in the Admin tier');

  // Every workload is governed by a cluster-wide tier: none is "unprotected", though few have a NetworkPolicy.
  await expect(atlas.node(WORDPRESS)).toContainText('tiers only');
  await expect(page.getByRole('contentinfo')).not.toContainText('unprotected');
  await expect(atlas.node('dns:api.stripe.com')).toContainText('api.stripe.com');
  await expect(atlas.node('10.0.0.10-10.0.0.10[External]')).toContainText('control-plane-1');
  await expect(atlas.node('10.0.0.10-10.0.0.10[External]')).toContainText('node · 10.0.0.10');
  await expect(atlas.node('dns:api.stripe.com')).toContainText('domain name');
  await expect(atlas.edge(CART, 'dns:api.stripe.com')).toContainText('TCP 443');
  await page.screenshot({ path: '.test-results/tiers-policy.png' });
});
