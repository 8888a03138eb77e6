import { expect, test } from './fixtures.ts';

test('the findings panel lists the demo risks and follows a finding to its YAML', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.tab('Findings').click();
  const list = page.getByTestId('findings');
  const spoof = list.getByTestId(
    'finding.NPA-NS-LABEL-SPOOF:downstream-1/store-to-downstream-1/ingress[0].from[0]',
  );
  // The notes' warning: a namespace label other than kubernetes.io/metadata.name can be set by anyone who labels namespaces.
  await expect(spoof).toContainText('trusts namespace label(s) app=store');
  // One finding per open namespace; each workload and direction is an instance inside it.
  const group = list.getByTestId('finding.NPA-OPEN-INGRESS:group/namespace-open:default');
  await expect(group).toContainText('Namespace default: 1 of 2 workloads open');
  await expect(group).toContainText('×4');
  await group.getByText('4 instances', { exact: true }).click();
  await expect(group.getByText('default/demo[Deployment] is open to ingress from everywhere')).toBeVisible();
  await spoof.getByRole('button', { name: /^demo\/policies\.yaml:\d+$/ }).click();
  await expect(atlas.tab('YAML')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('editor')).toBeVisible();
});

test('severity filter narrows the list', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.tab('Findings').click();
  // The groups (instances are list items nested inside them).
  const items = page.getByTestId('findings').locator(':scope > li');
  await expect(items.first()).toBeVisible();
  const all = await items.count();
  await page.getByLabel('At least').selectOption('high');
  await expect.poll(() => items.count()).toBeLessThan(all);
  for (const text of await items.allInnerTexts()) expect(text).toMatch(/^(critical|high) /i);
});

test('what-if shows the label that opens another destination', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.tab('Findings').click();
  const whatIf = page.getByRole('region', { name: 'Compromised workload what-if' });
  await whatIf.getByLabel('Workload').fill('frontend/frontend[Deployment]');
  const result = page.getByTestId('what-if');
  await expect(result).toContainText("If it could change its namespace's labels");
  // store-to-downstream-1 trusts namespaces labelled app=store.
  const change = result.getByTestId('what-if.change');
  await expect(change).toContainText('change app=frontend → app=store');
  await expect(change.getByRole('list', { name: 'reaches (egress)' }).getByRole('listitem')).toHaveText([
    'downstream-1/downstream-1[Deployment] TCP 8080',
  ]);
});

test('what-if shows the escape of demo-db from its own policy, in both directions', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  await atlas.tab('Findings').click();
  const whatIf = page.getByRole('region', { name: 'Compromised workload what-if' });
  await whatIf.getByLabel('Workload').fill('default/demo-db[StatefulSet]');
  const change = page.getByTestId('what-if').getByTestId('what-if.change');
  // Relabelling app=demo-db (removing it, or app=demo) takes demo-db out of its policy.
  await expect(change).toHaveCount(1);
  await expect(change).toContainText('remove app=demo-db');
  await expect(change).toContainText('same with app=demo');
  await expect(change).toContainText('leaves default/demo-db');
  await expect(change.getByRole('list', { name: 'reaches (egress)' }).getByRole('listitem')).toHaveText([
    'default/demo[Deployment] All Connections',
    'downstream-2/downstream-2[Deployment] All Connections',
    'frontend/frontend[Deployment] All Connections',
    '0.0.0.0-255.255.255.255[External] All Connections',
  ]);
  await expect(
    change.getByRole('list', { name: 'reachable from (ingress)' }).getByRole('listitem'),
  ).toHaveText([
    'downstream-1/downstream-1[Deployment] All Connections',
    'downstream-2/downstream-2[Deployment] All Connections',
    'frontend/frontend[Deployment] All Connections',
    '0.0.0.0-255.255.255.255[External] All Connections',
  ]);
  await expect(page.getByTestId('what-if.search')).toHaveText(
    'Label changes tried: 6 on its pods, 1 on its namespace.',
  );
  await page.getByTestId('what-if').screenshot({ path: '.test-results/what-if-demo-db.png' });
});

test('what-if says when its search bound stopped it', async ({ atlas, page }) => {
  await atlas.open();
  // A gate that admits 80 different roles: more label changes to try than the bound allows.
  const roles = Array.from(
    { length: 80 },
    (_, i) => `        - podSelector: { matchLabels: { role: r${i} } }`,
  );
  await atlas.pasteManifests(`apiVersion: apps/v1
kind: Deployment
metadata: { name: probe, namespace: lab }
spec:
  selector: { matchLabels: { app: probe } }
  template:
    metadata: { labels: { app: probe } }
    spec: { containers: [{ name: c, image: busybox }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: gate, namespace: lab }
spec:
  selector: { matchLabels: { app: gate } }
  template:
    metadata: { labels: { app: gate } }
    spec: { containers: [{ name: c, image: busybox }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: gate, namespace: lab }
spec:
  podSelector: { matchLabels: { app: gate } }
  ingress:
    - from:
${roles.join('\n')}
`);
  await atlas.tab('Findings').click();
  const whatIf = page.getByRole('region', { name: 'Compromised workload what-if' });
  await whatIf.getByLabel('Workload').fill('lab/probe[Deployment]');
  await expect(page.getByTestId('what-if.search')).toContainText('64 (bound reached,');
  await expect(page.getByTestId('what-if.notes')).toContainText('Search bound reached for pod labels');
  // What was tried still counts: any of the roles lets the probe into the gate.
  await expect(page.getByTestId('what-if.change').first()).toContainText('add role=');
});

test('a finding with a preset fix opens the verified preset preview', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.tab('Findings').click();
  const group = page
    .getByTestId('findings')
    .getByTestId('finding.NPA-OPEN-INGRESS:group/namespace-open:default');
  await group.getByText('4 instances', { exact: true }).click();
  const finding = group.getByTestId('finding.NPA-NO-DEFAULT-DENY-INGRESS:default');
  await finding.getByText('Why it matters').click();
  await finding.getByRole('button', { name: 'Apply fix…' }).click();
  await expect(page.getByTestId('authoring.preset')).toBeVisible();
});

test('the cluster ranges set in the panel reach the review', async ({ atlas, page }) => {
  await atlas.open();
  await page.getByRole('combobox', { name: 'Sample' }).selectOption('ipblock-egress');
  await atlas.tab('Findings').click();
  const list = page.getByTestId('findings');
  await expect(list.getByRole('listitem').first()).toBeVisible();
  await expect(list.getByText(/reaches node addresses/)).toHaveCount(0);
  await page.getByText('Cluster address ranges').click();
  const nodes = page.getByLabel('Node CIDRs');
  await nodes.fill('192.168.0.0/24,');
  await nodes.fill('192.168.0.0/24, nope');
  await expect(nodes).toHaveAttribute('aria-invalid', 'true');
  await nodes.fill('192.168.0.0/24');
  await expect(nodes).toHaveAttribute('aria-invalid', 'false');
  await expect(list.getByText(/reaches node addresses/).first()).toBeVisible();
});
