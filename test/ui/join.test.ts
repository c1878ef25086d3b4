// Joining an instance to a security group from the explorer tree, and the refusal of a join that
// the rules forbid, in an English workbench.
import * as assert from 'node:assert/strict';
import {
  FIXTURE_ACCESS_KEY_ID,
  REQUEST_ID_PATTERN,
  requestsOf,
  revealTreeItem,
} from './ecsExtension';
import { uiRun, useWorkbench } from './harness';
import { WorkbenchPage } from './workbenchPage';

const HANGZHOU_PROD_INSTANCES = ['China (Hangzhou)', '生产网络-prod', 'Instances'];

describe('Join from the tree', function () {
  const workbench = useWorkbench({ name: 'join' });
  let ui: WorkbenchPage;

  before(function () {
    ui = new WorkbenchPage(workbench().page);
  });

  it('joins 生产-web-01 to 应用服务器', async function () {
    const { shots } = workbench();
    const { ecs } = uiRun();

    await ui.openViewContainer('Alibaba Cloud ECS');
    await ui.treeItem('China (Hangzhou)', 1).waitFor();
    await shots.take('view-opened');
    const regionRequests = requestsOf(ecs, 'DescribeRegions');
    assert.ok(regionRequests.length > 0, 'DescribeRegions was not sent');
    assert.equal(regionRequests[0].params.AcceptLanguage, 'en-US');
    assert.equal(regionRequests[0].accessKeyId, FIXTURE_ACCESS_KEY_ID);

    const instance = await revealTreeItem(ui, shots, [...HANGZHOU_PROD_INSTANCES, '生产-web-01']);
    assert.match(
      (await instance.locator('.label-description').textContent()) ?? '',
      /^Running · i-bp1web01prod$/,
    );

    const join = await ui.openContextMenu(instance, 'Join Security Group...');
    await shots.take('context-menu');
    await join.click();

    const group = ui.quickPickItem('应用服务器');
    await group.waitFor();
    assert.equal(
      await ui.quickInputTitle.textContent(),
      'Join Security Group: 生产-web-01 (i-bp1web01prod)',
    );
    await shots.take('group-pick');
    await group.click();

    const toast = ui.notification(
      'Instance 生产-web-01 (i-bp1web01prod) joined security group 应用服务器 (sg-bp1app).',
    );
    await toast.waitFor();
    await ui.waitForQuickInputClosed();
    await shots.take('join-notification');
    assert.equal(await toast.locator('.notification-list-item-icon.codicon-info').count(), 1);

    const joinRequests = requestsOf(ecs, 'JoinSecurityGroup');
    assert.equal(ecs.count('JoinSecurityGroup'), 1);
    assert.equal(joinRequests[0].status, 200);
    assert.equal(joinRequests[0].params.RegionId, 'cn-hangzhou');
    assert.equal(joinRequests[0].params.InstanceId, 'i-bp1web01prod');
    assert.equal(joinRequests[0].params.SecurityGroupId, 'sg-bp1app');
    const joined = ecs.state.instances.find(({ instanceId }) => instanceId === 'i-bp1web01prod');
    assert.deepEqual(joined?.securityGroupIds, ['sg-bp1web', 'sg-bp1ssh', 'sg-bp1app']);

    await ui.showOutputChannel('Alibaba Cloud ECS');
    const logLines = await ui.outputLines('JoinSecurityGroup');
    await shots.take('output-channel');
    // The logger writes one line per API call, with its RequestId and duration.
    const apiCallLine = new RegExp(
      `\\[info\\] JoinSecurityGroup instance=i-bp1web01prod securityGroup=sg-bp1app ` +
        `region=cn-hangzhou requestId=${REQUEST_ID_PATTERN} duration=\\d+ms$`,
    );
    const apiCalls = logLines.filter((line) => apiCallLine.test(line));
    assert.equal(apiCalls.length, 1, `JoinSecurityGroup log lines:\n${logLines.join('\n')}`);

    await ui.expand(instance);
    await ui.treeItem('应用服务器', 5).waitFor();
    await shots.take('instance-expanded');
    // The groups come first, then the secondary network interface.
    assert.deepEqual(await ui.childLabels(instance), [
      'web-生产',
      'ssh-bastion',
      '应用服务器',
      'web-01-辅助网卡',
    ]);
  });

  it('refuses every group for a Starting instance', async function () {
    const { shots } = workbench();
    const { ecs } = uiRun();
    ecs.resetRequests();

    await ui.openViewContainer('Alibaba Cloud ECS');
    const instance = await revealTreeItem(ui, shots, [
      ...HANGZHOU_PROD_INSTANCES,
      '启动中-starting',
    ]);
    assert.match(
      (await instance.locator('.label-description').textContent()) ?? '',
      /^Starting · i-bp1starting01prod$/,
    );
    await shots.take('starting-instance');

    const join = await ui.openContextMenu(instance, 'Join Security Group...');
    await shots.take('context-menu-starting');
    await join.click();

    const rows = await ui.readQuickPick();
    await shots.take('groups-cannot-be-chosen');
    assert.equal(
      await ui.quickInputTitle.textContent(),
      'Join Security Group: 启动中-starting (i-bp1starting01prod)',
    );
    // Groups that can be chosen come before the separator, so a separator on the first row means
    // that every group is refused.
    assert.equal(rows[0].separator, 'Cannot be chosen');
    // The 11 groups of the instance's VPC are listed; the 5 of other VPCs and the classic
    // network are left out, with a note.
    assert.equal(
      await ui.quickInput.locator('.quick-input-visible-count').textContent(),
      '11 Results',
    );
    assert.match(
      (await ui.quickInput.locator('input').getAttribute('placeholder')) ?? '',
      /\(5 groups of other VPCs or networks are not listed\)$/,
    );
    for (const row of rows.filter((item) => item.label)) {
      assert.match(
        row.detail,
        /^(The instance is Starting; it must be Running or Stopped\.|Already in this group\.)$/,
        `detail of ${row.label}`,
      );
    }

    await ui.quickPickItem('备用-spare').click();
    const reason =
      'Join Security Group: 启动中-starting (i-bp1starting01prod): The instance is Starting; it must be Running or Stopped.';
    await ui.quickInputTitle.filter({ hasText: reason }).waitFor();
    await shots.take('refusal-in-title');
    assert.ok(await ui.quickInput.isVisible(), 'the quick pick closed after a refused choice');

    await ui.page.keyboard.press('Escape');
    await ui.waitForQuickInputClosed();
    await shots.take('pick-dismissed');
    assert.equal(ecs.count('JoinSecurityGroup'), 0);
    assert.equal(await ui.notification('启动中-starting').count(), 0);
  });
});
