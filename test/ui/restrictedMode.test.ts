// The extension in Restricted Mode: code-server starts with workspace trust on and opens a folder
// whose workspace settings point alibabaCloud.ecs.endpoint at a loopback address with no
// listener. The extension must keep using the endpoint of the user settings.
import * as assert from 'node:assert/strict';
import { FIXTURE_ACCESS_KEY_ID, STATUS_BAR_ITEM_ID } from './ecsExtension';
import { uiRun, useWorkbench } from './harness';
import { WorkbenchPage } from './workbenchPage';

/** Nothing listens on port 9 of 127.0.0.2, so a request sent there fails. */
const WORKSPACE_ENDPOINT = 'http://127.0.0.2:9';

describe('Restricted Mode', function () {
  const workbench = useWorkbench({
    name: 'restricted-mode',
    trust: true,
    workspaceFiles: {
      '.vscode/settings.json':
        JSON.stringify({ 'alibabaCloud.ecs.endpoint': WORKSPACE_ENDPOINT }, null, 2) + '\n',
    },
  });

  it('uses the user-settings endpoint', async function () {
    const { page, shots } = workbench();
    const { ecs } = uiRun();
    const ui = new WorkbenchPage(page);

    const trustDialog = ui.dialog.filter({
      hasText: 'Do you trust the authors of the files in this folder?',
    });
    await trustDialog.waitFor();
    await shots.take('trust-dialog');
    await trustDialog.getByRole('button', { name: /^No, I don't trust the authors/ }).click();
    await trustDialog.waitFor({ state: 'hidden' });
    const restricted = page.locator('.part.statusbar .statusbar-item', {
      hasText: 'Restricted Mode',
    });
    await restricted.waitFor();
    await shots.take('restricted-mode');

    await ui.openViewContainer('Alibaba Cloud ECS');
    const region = ui.treeItem('China (Hangzhou)', 1);
    await region.waitFor();
    await ui.expand(region);
    await ui.treeItem('生产网络-prod', 2).waitFor();
    await shots.take('tree-in-restricted-mode');
    assert.ok(await restricted.isVisible(), 'the workbench left Restricted Mode');

    const actions = ecs.requests.map(({ action }) => action);
    assert.ok(actions.includes('DescribeRegions'), `requests received: ${actions.join(', ')}`);
    assert.ok(actions.includes('DescribeVpcs'), `requests received: ${actions.join(', ')}`);
    for (const request of ecs.requests) {
      assert.equal(request.status, 200, `${request.action} failed with ${request.code}`);
      assert.equal(request.accessKeyId, FIXTURE_ACCESS_KEY_ID);
    }

    const item = ui.statusBarItem(STATUS_BAR_ITEM_ID);
    const tooltip = await ui.hoverFor(item, 'Endpoint:');
    await shots.take('status-bar-tooltip');
    const tooltipText = (await tooltip.textContent()) ?? '';
    assert.ok(
      tooltipText.includes(`Endpoint: ${ecs.endpoint}`),
      `tooltip does not name ${ecs.endpoint}: ${tooltipText}`,
    );
    assert.ok(!tooltipText.includes('127.0.0.2'), `tooltip names the workspace endpoint`);
  });
});
