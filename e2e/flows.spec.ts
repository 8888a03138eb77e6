import { expect, test } from './fixtures.ts';

const FRONTEND = 'frontend/frontend[Deployment]';
const STORE_API = 'store/store-api[Deployment]';

test('import the demo flows, read the overlay, explain a denied flow, and see a change that would break traffic', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  await atlas.importFlowSample('Demo flows (Hubble)');

  const panel = page.getByTestId('flows.panel');
  await expect(panel.getByTestId('flows.count.allowed')).toContainText('observed and allowed: 5 flows');
  await expect(panel.getByTestId('flows.count.denied')).toContainText('2 flows (6 connections)');
  await expect(panel.getByTestId('flows.window')).toContainText(
    '2025-12-01 10:01:16Z to 2025-12-01 10:29:18Z',
  );
  // The kube-system DNS pods are not in the demo's manifests: counted and listed, not dropped.
  await expect(panel.getByTestId('flows.unmatched')).toContainText('6 records not matched to a workload');

  // frontend -> store-api carries an allowed flow (8080) and a denied one (9090): the edge is red.
  const edge = atlas.edge(FRONTEND, STORE_API);
  await expect(edge).toHaveAttribute('data-diff', 'flow-denied');
  await expect(edge).toContainText('1 denied');
  // An observed and allowed edge stays solid.
  await expect(atlas.edge(STORE_API, 'downstream-1/downstream-1[Deployment]')).toHaveAttribute(
    'data-diff',
    'flow-allowed',
  );

  // Filtering the denied state out draws the edge as the plain connection it is.
  await panel.getByTestId('flows.count.denied').getByRole('checkbox').uncheck();
  await expect(edge).not.toHaveAttribute('data-diff', /flow-/);
  await panel.getByTestId('flows.count.denied').getByRole('checkbox').check();
  await expect(edge).toHaveAttribute('data-diff', 'flow-denied');

  await edge.click();
  // Allowed on 8080, observed and denied on 9090: the panel asks the question the red edge raises.
  const details = page.getByRole('region', { name: 'Connection details' });
  await expect(details.getByRole('heading', { level: 3 })).toHaveText('Why is this partly denied?');
  const flows = page.getByTestId('flows.edge');
  await expect(flows).toContainText('Observed flows: 2');
  const denied = flows.getByTestId('flow.denied');
  await expect(denied).toContainText('TCP 9090');
  await expect(denied).toContainText('3 connections');
  await expect(denied.getByTestId('flow.rule').filter({ hasText: 'ingress' })).toContainText(
    'ingress: denied: store/store-api isolates it and no rule admits it',
  );
  await denied.getByRole('button', { name: 'Explain every tier' }).click();
  await expect(denied.getByTestId('explain.verdict')).toHaveText('Denied on TCP 9090');

  // A drawn change is checked against the flows before it is accepted: removing the connection
  // would deny the observed calls on 8080.
  await page.getByRole('button', { name: 'Remove this connection…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove a connection' });
  const staged = dialog.getByTestId('flows.impact');
  await expect(staged).toContainText('This change would deny 1 observed flow (23 connections)');
  await expect(staged).toContainText(`${FRONTEND} → ${STORE_API} TCP/8080`);
  await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(dialog).toBeHidden();
  await atlas.waitForGraph();

  // The overlay follows the policies: both flows on the edge are denied now.
  await expect(panel.getByTestId('flows.count.denied')).toContainText('3 flows (29 connections)');
  await expect(edge).toContainText('2 denied');
  // Nothing is allowed between them any more: the edge is all denied, with nothing left to remove.
  await edge.click();
  await expect(details.getByRole('heading', { level: 3 })).toHaveText('Why is this denied?');
  await expect(details.getByRole('button', { name: 'Remove this connection…' })).toHaveCount(0);
  // And the change set since the baseline says the same.
  await atlas.toolbarAction('Changes (1)…');
  await expect(page.getByTestId('flows.impact')).toContainText(
    'This change would deny 1 observed flow (23 connections)',
  );
});

test('a flow file dropped on the window is told from manifests by its content and streamed in', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  const csv = [
    'src,dst,protocol,port,count,last_seen',
    `${FRONTEND},${STORE_API},TCP,8080,12,2025-12-01T10:00:00Z`,
    `${FRONTEND},${STORE_API},TCP,9090,2,2025-12-01T10:05:00Z`,
    'not,a,valid,row',
  ].join('\n');
  await atlas.dropFiles([{ name: 'capture.json', text: csv }]);
  const panel = page.getByTestId('flows.panel');
  await expect(panel).toContainText('Observed traffic: capture.json');
  await expect(panel.getByTestId('flows.count.allowed')).toContainText('1 flow');
  await expect(panel.getByTestId('flows.count.denied')).toContainText('1 flow (2 connections)');
  await panel.getByTestId('flows.diagnostics').locator('summary').click();
  await expect(panel.getByTestId('flows.diagnostics')).toContainText('line 4: column-count');
  // The documents are still the demo's: the flow file was not read as a manifest.
  await expect(atlas.node(FRONTEND)).toBeVisible();
});
