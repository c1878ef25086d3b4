// Find Instance... and Find Security Group... from the command palette, in an English
// workbench: the search goes to the API as filters, and the choice is revealed in the tree.
import * as assert from 'node:assert/strict';
import { requestsOf } from './ecsExtension';
import { uiRun, useWorkbench } from './harness';
import { WorkbenchPage } from './workbenchPage';

describe('Find from the command palette', function () {
  const workbench = useWorkbench({ name: 'find' });
  let ui: WorkbenchPage;

  before(function () {
    ui = new WorkbenchPage(workbench().page);
  });

  it('finds 生产-web-02 by its public IP address', async function () {
    const { shots } = workbench();
    const { ecs } = uiRun();

    await ui.openViewContainer('Alibaba Cloud ECS');
    await ui.treeItem('China (Hangzhou)', 1).waitFor();
    ecs.resetRequests();

    await ui.runCommand('Alibaba Cloud ECS: Find Instance...');
    await ui.quickInputTitle.filter({ hasText: /^Find Instance in cn-hangzhou$/ }).waitFor();
    await shots.take('find-instance-opened');
    await ui.quickInput.locator('input').fill('47.96.10.12');
    const result = ui.quickPickItem('生产-web-02');
    await result.waitFor();
    await shots.take('find-instance-result');

    const rows = await ui.readQuickPick();
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.match(
      rows[0].description,
      /^i-bp1web02prod · Running · 172\.16\.2\.12 · 47\.96\.10\.12$/,
    );
    // The three address filters go out at once, so they may arrive in any order.
    const filters = requestsOf(ecs, 'DescribeInstances').map((request) =>
      Object.keys(request.params).filter((name) => name.endsWith('IpAddresses')),
    );
    assert.deepEqual(filters.flat().sort(), [
      'InnerIpAddresses',
      'PrivateIpAddresses',
      'PublicIpAddresses',
    ]);
    assert.equal(filters.length, 3, 'one request per filter');

    await result.click();
    await ui.waitForQuickInputClosed();
    const revealed = ui.treeItem('生产-web-02', 4);
    await revealed.and(ui.page.locator('[aria-selected="true"]')).waitFor();
    await shots.take('find-instance-revealed');
    assert.deepEqual(await ui.selectedTreeLabels(), ['生产-web-02']);
    for (const [label, level] of [
      ['China (Hangzhou)', 1],
      ['生产网络-prod', 2],
      ['Instances', 3],
    ] as const) {
      assert.equal(
        await ui.treeItem(label, level).getAttribute('aria-expanded'),
        'true',
        `${label} is expanded`,
      );
    }
  });

  it('finds 备用-spare by part of its name', async function () {
    const { shots } = workbench();
    const { ecs } = uiRun();
    ecs.resetRequests();

    await ui.runCommand('Alibaba Cloud ECS: Find Security Group...');
    await ui.quickInputTitle.filter({ hasText: /^Find Security Group in cn-hangzhou$/ }).waitFor();
    await ui.quickInput.locator('input').fill('spare');
    const result = ui.quickPickItem('备用-spare');
    await result.waitFor();
    await shots.take('find-group-result');
    const [exact] = requestsOf(ecs, 'DescribeSecurityGroups');
    assert.equal(exact.params.SecurityGroupName, 'spare');

    await result.click();
    await ui.waitForQuickInputClosed();
    const revealed = ui.treeItem('备用-spare', 4);
    await revealed.and(ui.page.locator('[aria-selected="true"]')).waitFor();
    await shots.take('find-group-revealed');
    assert.deepEqual(await ui.selectedTreeLabels(), ['备用-spare']);
    assert.equal(await ui.treeItem('Security Groups', 3).getAttribute('aria-expanded'), 'true');
  });

  it('says when nothing matches', async function () {
    const { shots } = workbench();

    await ui.runCommand('Alibaba Cloud ECS: Find Instance...');
    await ui.quickInput.locator('input').fill('no-such-instance');
    await ui.quickPickItem('No matches').waitFor();
    await shots.take('find-no-matches');
    await ui.page.keyboard.press('Escape');
    await ui.waitForQuickInputClosed();
  });
});
