// Leaving a security group from a group row under an instance, and the local refusal to leave an
// instance's only group, in an English workbench.
import * as assert from 'node:assert/strict';
import { groupsOf, requestsOf, revealTreeItem } from './ecsExtension';
import { uiRun, useWorkbench } from './harness';
import { WorkbenchPage } from './workbenchPage';

/** The reason the extension gives, in its log, for keeping 测试数据库 in its only group. */
const LAST_GROUP_REASON =
  'Security group 测试-default (sg-bp1test) is the only group of instance 测试数据库 (i-bp1test01), and an instance must stay in at least one group. Join it to another group first.';

describe('Leave a security group', function () {
  const workbench = useWorkbench({ name: 'leave' });
  let ui: WorkbenchPage;

  before(function () {
    ui = new WorkbenchPage(workbench().page);
  });

  it('removes 生产-web-01 from ssh-bastion', async function () {
    const { shots } = workbench();
    const { ecs } = uiRun();

    await ui.openViewContainer('Alibaba Cloud ECS');
    const instance = await revealTreeItem(ui, shots, [
      'China (Hangzhou)',
      '生产网络-prod',
      'Instances',
      '生产-web-01',
    ]);
    await ui.expand(instance);
    const group = ui.treeItem('ssh-bastion', 5);
    await group.waitFor();
    await shots.take('instance-expanded');
    assert.deepEqual(await ui.childLabels(instance), [
      'web-生产',
      'ssh-bastion',
      'web-01-辅助网卡',
    ]);

    const leave = await ui.openContextMenu(group, 'Leave Security Group...');
    await shots.take('context-menu');
    await ui.runMenuItem(leave);

    const dialog = await ui.readDialog();
    await shots.take('leave-dialog');
    assert.equal(
      dialog.message,
      'Remove instance 生产-web-01 (i-bp1web01prod) from security group ssh-bastion (sg-bp1ssh)?',
    );
    assert.match(dialog.detail, /^1 will leave\.$/m);
    assert.ok(dialog.buttons.includes('Leave'), `dialog buttons: ${dialog.buttons.join(', ')}`);
    assert.equal(ecs.count('LeaveSecurityGroup'), 0, 'a leave was sent before the confirmation');

    await ui.dialogButton('Leave').click();
    await ui.dialog.waitFor({ state: 'hidden' });
    const toast = ui.notification(
      'Instance 生产-web-01 (i-bp1web01prod) left security group ssh-bastion (sg-bp1ssh).',
    );
    await toast.waitFor();
    await group.waitFor({ state: 'detached' });
    await shots.take('left-ssh-bastion');
    assert.equal(await toast.locator('.notification-list-item-icon.codicon-info').count(), 1);
    assert.ok(await ui.notificationButton(toast, 'Undo').isVisible(), 'no Undo button');
    assert.deepEqual(await ui.childLabels(instance), ['web-生产', 'web-01-辅助网卡']);

    const leaveRequests = requestsOf(ecs, 'LeaveSecurityGroup');
    assert.equal(leaveRequests.length, 1);
    assert.equal(leaveRequests[0].status, 200);
    assert.equal(leaveRequests[0].params.RegionId, 'cn-hangzhou');
    assert.equal(leaveRequests[0].params.InstanceId, 'i-bp1web01prod');
    assert.equal(leaveRequests[0].params.SecurityGroupId, 'sg-bp1ssh');
    assert.equal(leaveRequests[0].params.NetworkInterfaceId, undefined);
    assert.deepEqual(groupsOf(ecs, 'i-bp1web01prod'), ['sg-bp1web']);
    // The secondary network interface has groups of its own, which the leave must not touch.
    const secondary = ecs.state.networkInterfaces.find(
      ({ networkInterfaceId }) => networkInterfaceId === 'eni-bp1web01sec',
    );
    assert.deepEqual(secondary?.securityGroupIds, ['sg-bp1web']);
  });

  it('refuses to leave the only group of 测试数据库', async function () {
    const { page, shots } = workbench();
    const { ecs } = uiRun();
    ecs.resetRequests();

    // Only one VPC stays expanded, so that the Instances folder of the path is the only one shown.
    await ui.collapse(ui.treeItem('生产网络-prod', 2));
    const instance = await revealTreeItem(ui, shots, [
      'China (Hangzhou)',
      'test-vpc',
      'Instances',
      '测试数据库',
    ]);
    await ui.expand(instance);
    const group = ui.treeItem('测试-default', 5);
    await group.waitFor();
    assert.deepEqual(await ui.childLabels(instance), ['测试-default']);
    await shots.take('only-group');

    const leave = await ui.openContextMenu(group, 'Leave Security Group...');
    await ui.runMenuItem(leave);
    const refusal = ui
      .notification('must stay in at least one group')
      .filter({ has: page.locator('.notification-list-item-icon.codicon-warning') });
    await refusal.waitFor();
    await shots.take('leave-refused');
    assert.equal(ecs.count('LeaveSecurityGroup'), 0);
    assert.deepEqual(groupsOf(ecs, 'i-bp1test01'), ['sg-bp1test']);
    assert.equal(await ui.dialog.count(), 0, 'a refused leave asked for confirmation');
    assert.equal(await group.count(), 1, 'the group row disappeared');

    await ui.showOutputChannel('Alibaba Cloud ECS');
    await ui.filterOutput('LeaveSecurityGroup not sent');
    const logLines = await ui.outputLines('LeaveSecurityGroup not sent');
    await shots.take('refusal-in-log');
    assert.deepEqual(
      logLines.map((line) => line.replace(/^.*?\[warning\] /, '')),
      [`LeaveSecurityGroup not sent (lastGroup): ${LAST_GROUP_REASON}`],
    );
  });

  it('shows why 测试数据库 cannot leave', async function () {
    const { page, shots } = workbench();

    // The warning of the previous test has no buttons and may have hidden, but the
    // notifications center keeps it.
    await ui.showNotificationsCenter();
    const refusal = page
      .locator('.notifications-center .notification-list-item')
      .filter({ has: page.locator('.notification-list-item-icon.codicon-warning') });
    await refusal.waitFor();
    await shots.take('refusal-in-notifications-center');
    const refusalText = (await refusal.innerText()).replace(/\s+/g, ' ');
    assert.ok(
      refusalText.includes(LAST_GROUP_REASON),
      `The refusal does not say why the instance cannot leave. It shows: ${refusalText}`,
    );
  });
});
