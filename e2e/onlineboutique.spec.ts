import { expect, test } from './fixtures.ts';

// The Online Boutique sample and the Calico flow logs recorded against it (public/flows/).
const CART = 'default/cartservice[Deployment]';
const REDIS = 'default/redis-cart[Deployment]';
const CHECKOUT = 'default/checkoutservice[Deployment]';
const SHIPPING = 'default/shippingservice[Deployment]';
const FRONTEND = 'default/frontend[Deployment]';
const PRODUCTS = 'default/productcatalogservice[Deployment]';

test('the Online Boutique sample takes its flow sample: every workload matched, one path denied, one never used', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  await page.getByRole('combobox', { name: 'Sample' }).selectOption({ label: 'Online Boutique' });
  await expect(atlas.node(CART)).toBeVisible();
  await atlas.waitForGraph();
  await atlas.importFlowSample('Online Boutique flows (Calico flow logs)');

  const panel = page.getByTestId('flows.panel');
  await expect(panel).toContainText('Observed traffic: onlineboutique.calico.jsonl');
  // 14 service-to-service flows and 4 lookups in kube-system's DNS, each placed on its workload.
  await expect(panel.getByTestId('flows.count.allowed')).toContainText('observed and allowed: 18 flows');
  await expect(panel.getByTestId('flows.count.denied')).toContainText('1 flow (89 connections)');
  await expect(panel.getByTestId('flows.count.unobserved')).toContainText('7 connections');
  // Every pod end is a workload of the sample. Calico's aggregated logs keep no address for the
  // public network payments call (`pub`), so those records alone cannot be placed: listed, not guessed.
  const unmatched = panel.getByTestId('flows.unmatched');
  await expect(unmatched).toContainText('6 records not matched to a workload');
  await unmatched.locator('summary').click();
  await expect(unmatched.getByRole('listitem')).toHaveCount(1);
  await expect(unmatched.getByRole('listitem')).toContainText('outside the cluster, no address');

  // The calls the capture saw are drawn solid; the cart's calls to redis, which its egress does
  // not allow, red; the shipping quote checkout may ask for and never did, grey.
  await expect(atlas.edge(FRONTEND, PRODUCTS)).toHaveAttribute('data-diff', 'flow-allowed');
  const denied = atlas.edge(CART, REDIS);
  await expect(denied).toHaveAttribute('data-diff', 'flow-denied');
  await expect(atlas.edge(CHECKOUT, SHIPPING)).toHaveAttribute('data-diff', 'flow-unobserved');
  await atlas.waitForGraph();
  await page.screenshot({ path: '.test-results/onlineboutique-flows.png' });

  // The red edge stands for nothing the policies allow: its panel asks why it is denied. (Edge
  // labels are buttons; in this layout a node can sit over one, so the keyboard presses it.)
  await denied.focus();
  await page.keyboard.press('Enter');
  const details = page.getByRole('region', { name: 'Connection details' });
  await expect(details.getByRole('heading', { level: 3 })).toHaveText('Why is this denied?');
  await expect(details.getByTestId('flow.denied')).toContainText('TCP 6379');
  await expect(details.getByTestId('flow.denied').getByTestId('flow.rule').first()).toContainText('egress');
  await expect(details.getByRole('button', { name: 'Remove this connection…' })).toHaveCount(0);

  // An allowed edge keeps its question.
  await atlas.edge(FRONTEND, PRODUCTS).focus();
  await page.keyboard.press('Enter');
  await expect(details.getByRole('heading', { level: 3 })).toHaveText('Why is this allowed?');
});
