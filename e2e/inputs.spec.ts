import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures.ts';

const FRONTEND = 'frontend/frontend[Deployment]';
const STORE_API = 'store/store-api[Deployment]';

/**
 * A cluster past the auto-collapse threshold (150 workloads): 80 clients, of which the first 10
 * carry role=client, and 80 servers that admit exactly those on TCP 8080. Nothing else reaches
 * anything in the cluster, so the edge clients -> servers stands for 10 x 80 = 800 connections.
 */
function clientServerCluster(): string {
  const docs: string[] = [];
  const pad = (i: number) => String(i).padStart(2, '0');
  for (const ns of ['clients', 'servers']) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns} }`);
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-ingress, namespace: ${ns} }
spec: { podSelector: {}, policyTypes: [Ingress] }`);
  }
  for (let i = 0; i < 80; i++) {
    const role = i < 10 ? ', role: client' : '';
    docs.push(`apiVersion: v1
kind: Pod
metadata: { name: client-${pad(i)}, namespace: clients, labels: { app: client-${pad(i)}${role} } }
spec: { containers: [{ name: c, image: busybox }] }`);
    docs.push(`apiVersion: v1
kind: Pod
metadata: { name: server-${pad(i)}, namespace: servers, labels: { app: server-${pad(i)} } }
spec: { containers: [{ name: c, image: nginx, ports: [{ containerPort: 8080 }] }] }`);
  }
  docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-clients, namespace: servers }
spec:
  podSelector: {}
  ingress:
    - from:
        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: clients } }
          podSelector: { matchLabels: { role: client } }
      ports: [{ port: 8080 }]`);
  return `${docs.join('\n---\n')}\n`;
}

test('an edge between collapsed namespaces lists its connections, and each one is explained', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  await atlas.dropFiles([{ name: 'cluster.yaml', text: clientServerCluster() }]);
  await atlas.waitForGraph();
  // 160 workloads: the namespaces open collapsed.
  await expect(page.getByTestId('graph.namespace.clients')).toBeVisible();
  await atlas.edge('ns:clients', 'ns:servers').click();

  const details = page.getByRole('region', { name: 'Connection details' });
  await expect(details.getByTestId('edge.pairs.count')).toHaveText(
    '800 connections from namespace clients to namespace servers. Pick one to see why it is allowed.',
  );
  await expect(details).not.toContainText('Unknown source or destination');
  const list = details.getByRole('region', { name: 'Connections behind this edge' });
  const rows = list.getByRole('button');
  await expect(rows.first()).toHaveText('clients/client-00 → servers/server-00 TCP 8080');
  // Virtualised: a screenful of rows is in the page, not 800.
  expect(await rows.count()).toBeLessThan(60);

  await rows.first().click();
  const chosen = details.getByRole('region', { name: 'Chosen connection' });
  await expect(chosen.getByTestId('explain.verdict')).toHaveText('Allowed: TCP 8080');
  await expect(chosen.getByRole('region', { name: 'Ingress side' })).toContainText('servers/allow-clients');
  const axe = await new AxeBuilder({ page }).include('[aria-label="Connection details"]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
    [],
  );

  // Narrowed by workload name.
  await details.getByRole('searchbox', { name: 'Filter these connections' }).fill('client-03');
  await expect(details.getByRole('status').filter({ hasText: 'shown' })).toHaveText('80 of 800 shown');
  await expect(rows.first()).toHaveText('clients/client-03 → servers/server-00 TCP 8080');
  await details.getByRole('searchbox', { name: 'Filter these connections' }).fill('');

  // Sorted to the end: the last source's last destination.
  await list.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(rows.last()).toHaveText('clients/client-09 → servers/server-79 TCP 8080');
  await rows.last().click();
  await expect(chosen.locator('.pair')).toHaveText('clients/client-09[Pod] → servers/server-79[Pod]');
  await expect(chosen.getByTestId('explain.verdict')).toHaveText('Allowed: TCP 8080');
});

test('clicking an edge while the YAML tab is open shows its explanation', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.tab('YAML').click();
  await expect(page.getByTestId('editor')).toBeVisible();
  await atlas.edge(FRONTEND, STORE_API).click();
  await expect(atlas.tab('Details')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed: TCP 8080');
});

test('the query panel reads the CLI forms, suggests peers and says what is wrong', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  // A second workload named `frontend`, so the bare name becomes ambiguous.
  await atlas.pasteManifests(`apiVersion: v1
kind: Pod
metadata: { name: frontend, namespace: store }
spec: { containers: [{ name: c }] }
`);
  await atlas.waitForGraph();
  const query = page.getByRole('region', { name: 'Explain a connection' });
  // By label, as a user (and app.spec) finds them: the suggestion lists must not answer too.
  const source = query.getByLabel('Source');
  const destination = query.getByLabel('Destination');

  // The CLI's short forms: ns/name, and a name only one workload has.
  await source.fill('frontend/frontend');
  await destination.fill('store-api');
  await query.getByLabel('Port').fill('8080');
  await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed on TCP 8080');
  await expect(page.getByRole('region', { name: 'Ingress side' })).toContainText('store/store-api');

  // Ambiguous: the candidates are listed, and one click picks one.
  await source.fill('frontend');
  await expect(query.getByRole('alert')).toContainText('2 workloads match "frontend": pick one');
  await expect(source).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('explain.verdict')).toHaveCount(0);
  await query.getByRole('alert').getByRole('button', { name: FRONTEND }).click();
  await expect(source).toHaveValue(FRONTEND);
  await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed on TCP 8080');

  // Unknown: said so, with the closest peers.
  await source.fill('frontend/frontnd');
  await expect(query.getByRole('alert')).toContainText('No workload or address matches "frontend/frontnd".');
  await expect(query.getByRole('alert').getByRole('button', { name: FRONTEND })).toBeVisible();

  // Autocomplete: a listbox of candidates; arrows and Enter pick one.
  await destination.fill('store-');
  const options = query.getByRole('listbox', { name: 'Suggestions' }).getByRole('option');
  await expect(options.first()).toContainText(STORE_API);
  await expect(destination).toHaveAttribute('aria-expanded', 'true');
  await destination.press('Enter');
  await expect(destination).toHaveValue(STORE_API);
  await expect(destination).toHaveAttribute('aria-expanded', 'false');

  // Addresses: an IP and a CIDR, read as the address range of the graph that contains them.
  await source.fill('frontend/frontend');
  await destination.fill('8.8.8.8');
  await query.getByLabel('Port').fill('');
  await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed: All Connections');
  await expect(query.locator('.pair')).toContainText('0.0.0.0-255.255.255.255[External]');
  await destination.fill('10.0.0.0/8');
  await expect(page.getByTestId('explain.verdict')).toHaveText('Allowed: All Connections');
});

test('the label filter takes set-based selectors and keeps the edges of what it matches', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  const labels = page.getByRole('textbox', { name: 'Workload labels' });

  await labels.fill('app=frontend');
  await atlas.waitForGraph();
  await expect(page.getByTestId('filters.label.matches')).toHaveText(
    '1 workload matches, shown with its connections.',
  );
  // frontend's own connections stay, with the peers at their other end.
  await expect(atlas.edge(FRONTEND, STORE_API)).toHaveText('TCP 8080');
  for (const id of await atlas.edgeIds()) expect(id).toContain(FRONTEND);

  await labels.fill('app in (frontend, store-api)');
  await atlas.waitForGraph();
  await expect(atlas.edge(FRONTEND, STORE_API)).toBeVisible();
  await expect(atlas.node('downstream-1/downstream-1[Deployment]')).toBeVisible();
  for (const id of await atlas.edgeIds()) expect(id.includes(FRONTEND) || id.includes(STORE_API)).toBe(true);
  await expect(page.getByTestId('filters.label.error')).toHaveCount(0);

  await labels.fill('app in frontend');
  await expect(page.getByTestId('filters.label.error')).toHaveText(
    'Not understood, so not applied: "in" needs a list of values in parentheses, like (a,b) (column 8).',
  );
  await expect(labels).toHaveAttribute('aria-invalid', 'true');
  await atlas.waitForGraph();
  await expect(atlas.node('default/demo-db[StatefulSet]')).toBeVisible();

  await labels.fill('!app');
  await atlas.waitForGraph();
  await expect(page.getByTestId('filters.label.matches')).toHaveText('No workload has these labels.');
  await expect(page.getByTestId('filters.label.error')).toHaveCount(0);
  expect((await atlas.nodeIds()).filter((id) => !id.endsWith('[External]'))).toEqual([]);
});

test('search lists its candidates best first, and Enter takes the exact match', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.pasteManifests(
    ['api-11', 'api-1', 'api-12']
      .map(
        (name) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: team005 }
spec: { containers: [{ name: c }] }`,
      )
      .join('\n---\n'),
  );
  await atlas.waitForGraph();
  const search = page.getByRole('combobox', { name: 'Search workloads' });
  await search.fill('team005/api-1');
  const options = page.locator('.search').getByRole('listbox', { name: 'Suggestions' }).getByRole('option');
  await expect(options).toHaveText([
    /team005\/api-1\[Pod\]$/,
    /team005\/api-11\[Pod\]$/,
    /team005\/api-12\[Pod\]$/,
  ]);
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  const axe = await new AxeBuilder({ page }).include('.search').analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  await search.press('Enter');
  await atlas.waitForGraph();
  await expect(page.getByRole('region', { name: 'Workload details' })).toContainText('team005/api-1[Pod]');
  await expect(page.getByText('Showing neighbours of')).toContainText('team005/api-1[Pod]');

  // The arrow keys move through the candidates.
  await search.fill('team005/api-1');
  await search.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await search.press('Enter');
  await expect(page.getByText('Showing neighbours of')).toContainText('team005/api-11[Pod]');
});

test('undo history survives a reload', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.pasteManifests(`apiVersion: v1
kind: Pod
metadata: { name: probe, namespace: frontend, labels: { app: frontend } }
spec: { containers: [{ name: c }] }
`);
  await atlas.waitForGraph();
  await expect(atlas.node('frontend/probe[Pod]')).toBeVisible();
  await expect(page.getByTestId('workspace.save')).toHaveText('Saved in this browser');

  await page.reload();
  await atlas.waitForGraph();
  await expect(atlas.node('frontend/probe[Pod]')).toBeVisible();
  const undo = page.getByRole('button', { name: 'Undo' });
  await expect(undo).toBeEnabled();
  await undo.click();
  await atlas.waitForGraph();
  await expect(atlas.node('frontend/probe[Pod]')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Redo' })).toBeEnabled();
});
