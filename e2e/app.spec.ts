import AxeBuilder from '@axe-core/playwright';
import { compileWorkspace } from '../apps/web/src/workspace/compileWorkspace.ts';
import { demoFiles, expect, test } from './fixtures.ts';

const FRONTEND = 'frontend/frontend[Deployment]';
const STORE_API = 'store/store-api[Deployment]';
const DEMO_APP = 'default/demo[Deployment]';
const DEMO_DB = 'default/demo-db[StatefulSet]';

test('the demo shows exactly the connections the evaluator computes', async ({ atlas }) => {
  await atlas.open();
  const expected = compileWorkspace(demoFiles()).model;
  expect(await atlas.edgeIds()).toEqual(expected.edges.map((e) => e.id).sort());
  expect(await atlas.nodeIds()).toEqual(expected.nodes.map((n) => n.id).sort());
  await expect(atlas.edge(FRONTEND, STORE_API)).toHaveText('TCP 8080');
  await expect(atlas.node(DEMO_DB)).toContainText('in ✓');
  await expect(atlas.node(DEMO_APP)).toContainText('unprotected');
});

test('clicking an edge explains it, with links to the rules in the editor', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.edge(FRONTEND, STORE_API).click();
  await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed: TCP 8080');
  const ingress = page.getByRole('region', { name: 'Ingress side' });
  await expect(ingress).toContainText('store/store-api ingress rule 0, peer 0');
  await ingress.getByRole('button', { name: /^demo\/policies\.yaml:\d+$/ }).click();
  await expect(atlas.tab('YAML')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('editor')).toBeVisible();
});

test('the query panel explains a denied connection on a port', async ({ atlas, page }) => {
  await atlas.open();
  const query = page.getByRole('region', { name: 'Explain a connection' });
  await query.getByLabel('Source').fill(DEMO_APP);
  await query.getByLabel('Destination').fill(STORE_API);
  await query.getByLabel('Port').fill('8080');
  await expect(page.getByTestId('explain.verdict')).toHaveText('Denied on TCP 8080');
  await expect(page.getByRole('region', { name: 'Ingress side' })).toContainText('no rule of it admits');
});

test('import by paste adds workloads and connections', async ({ atlas }) => {
  await atlas.open();
  await atlas.pasteManifests(`apiVersion: v1
kind: Pod
metadata: { name: probe, namespace: frontend, labels: { app: frontend } }
spec: { containers: [{ name: c }] }
`);
  await atlas.waitForGraph();
  await expect(atlas.node('frontend/probe[Pod]')).toBeVisible();
  // It carries the frontend label, so store-api admits it on 8080 like the real frontend.
  await expect(atlas.edge('frontend/probe[Pod]', STORE_API)).toHaveText('TCP 8080');
});

test('import by drop replaces the workspace with the dropped files', async ({ atlas }) => {
  await atlas.open();
  await atlas.dropFiles([
    {
      name: 'apps.yaml',
      text: `apiVersion: v1
kind: Pod
metadata: { name: a, namespace: team }
spec: { containers: [{ name: c }] }
---
apiVersion: v1
kind: Pod
metadata: { name: b, namespace: team }
spec: { containers: [{ name: c }] }
`,
    },
    { name: 'notes.txt', text: 'ignored: not a manifest extension' },
  ]);
  await atlas.waitForGraph();
  await expect(atlas.node('team/a[Pod]')).toBeVisible();
  expect((await atlas.nodeIds()).filter((id) => !id.endsWith('[External]'))).toEqual([
    'team/a[Pod]',
    'team/b[Pod]',
  ]);
});

test('a broken file is listed in Problems and marked in the editor; the rest still renders', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  await atlas.pasteManifests(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: bad, namespace: default }
spec:
  podSelector: {}
  ingress:
    - ports:
        - port: 70000
`);
  await atlas.waitForGraph();
  await expect(atlas.node(FRONTEND)).toBeVisible();
  await expect(atlas.tab('Problems')).toContainText('1');
  await atlas.tab('Problems').click();
  const problem = page.getByTestId('problems').getByRole('listitem').first();
  await expect(problem).toContainText('spec.ingress[0].ports[0].port');
  await expect(problem).toContainText('Invalid value: 70000');
  await problem.getByRole('button', { name: /^pasted-\d+\.yaml:8$/ }).click();
  await expect(page.getByTestId('editor')).toBeVisible();
  await expect(page.locator('.squiggly-error')).not.toHaveCount(0);
});

test('filters, search and focus narrow the graph', async ({ atlas, page }) => {
  await atlas.open();
  await page.getByLabel('Show namespace default').uncheck();
  await atlas.waitForGraph();
  await expect(atlas.node(DEMO_APP)).toHaveCount(0);
  await page.getByLabel('Show namespace default').check();
  await atlas.waitForGraph();
  await expect(atlas.node(DEMO_APP)).toBeVisible();

  await page.getByPlaceholder('app=web, tier, env!=prod').fill('app=frontend');
  await atlas.waitForGraph();
  // The matching workload, its connections and the peers at their other end.
  expect(await atlas.nodeIds()).toContain(FRONTEND);
  expect(await atlas.nodeIds()).not.toContain(DEMO_DB);
  for (const id of await atlas.edgeIds()) expect(id).toContain(FRONTEND);
  await page.getByPlaceholder('app=web, tier, env!=prod').fill('');

  const search = page.getByLabel('Search workloads');
  await search.fill('store-api');
  await search.press('Enter');
  await atlas.waitForGraph();
  expect((await atlas.nodeIds()).sort()).toEqual(
    [
      'downstream-1/downstream-1[Deployment]',
      'downstream-2/downstream-2[Deployment]',
      FRONTEND,
      STORE_API,
    ].sort(),
  );
  await page.getByRole('button', { name: 'Show all' }).click();
  await atlas.waitForGraph();
  await expect(atlas.node(DEMO_DB)).toBeVisible();
});

test('selecting a policy highlights what it selects and admits', async ({ atlas, page }) => {
  await atlas.open();
  await page.getByRole('button', { name: 'default/demo-db', exact: true }).click();
  await expect(atlas.node(DEMO_DB)).toHaveClass(/policy-selects/);
  await expect(atlas.node(DEMO_APP)).toHaveClass(/policy-admits/);
  await expect(atlas.node(FRONTEND)).toHaveClass(/dimmed/);
});

test('has no serious accessibility violations', async ({ atlas, page }) => {
  await atlas.open();
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('editing a policy in the editor updates the graph; moved rules keep their links', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  const ruleLink = () =>
    page
      .getByRole('region', { name: 'Ingress side' })
      .getByRole('button', { name: /^demo\/policies\.yaml:\d+$/ });
  await atlas.edge(FRONTEND, STORE_API).click();
  const lineBefore = Number((await ruleLink().textContent())!.split(':')[1]);
  await ruleLink().click();

  // Replace the port through the editor's own replace widget, as a user would.
  // A line well below the sticky-scroll header, to give the editor focus.
  const editorLine = page.locator('.monaco-editor .view-line').nth(12);
  await editorLine.click();
  await page.keyboard.press('Control+h');
  await page.getByRole('textbox', { name: 'Find' }).fill('port: 8080');
  await page.getByRole('textbox', { name: 'Replace' }).fill('port: 9090');
  await page.getByRole('button', { name: /^Replace All/ }).click();
  await page.keyboard.press('Escape');
  await expect(atlas.edge(FRONTEND, STORE_API)).toHaveText('TCP 9090');

  // A line added at the top moves every document down: the graph stays equal to a fresh
  // analysis of the edited text, and the explanation links point at the rule's new line.
  await editorLine.click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('# reviewed\n');
  const edited = demoFiles().map((f) =>
    f.path === 'demo/policies.yaml'
      ? { ...f, text: `# reviewed\n${f.text.replaceAll('port: 8080', 'port: 9090')}` }
      : f,
  );
  await expect
    .poll(async () => atlas.edgeIds())
    .toEqual(
      compileWorkspace(edited)
        .model.edges.map((e) => e.id)
        .sort(),
    );
  await atlas.edge(FRONTEND, STORE_API).click();
  await atlas.tab('Details').click();
  await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed: TCP 9090');
  await expect(ruleLink()).toHaveText(`demo/policies.yaml:${lineBefore + 1}`);
});
