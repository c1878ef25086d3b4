// A batch join from a multi-selection in the tree, its plan dialog and summary, and the Undo on
// the summary notification, in an English workbench.
import * as assert from 'node:assert/strict';
import { groupsOf, requestsOf, revealTreeItem } from './ecsExtension';
import { uiRun, useWorkbench } from './harness';
import { WorkbenchPage } from './workbenchPage';

const TEST_VPC = ['China (Hangzhou)', 'test-vpc'];
const WORKERS = [
  { name: '测试-worker-01', instanceId: 'i-bp1worker01' },
  { name: 'test-worker-02', instanceId: 'i-bp1worker02' },
  { name: '测试-worker-03', instanceId: 'i-bp1worker03' },
];
const WORKER_IDS = WORKERS.map(({ instanceId }) => instanceId);

describe('Batch join and undo', function () {
  const workbench = useWorkbench({ name: 'batch-join' });
  let ui: WorkbenchPage;

  before(function () {
    ui = new WorkbenchPage(workbench().page);
  });

  it('joins three selected workers to test-alt', async function () {
    const { shots } = workbench();
    const { ecs } = uiRun();

    await ui.openViewContainer('Alibaba Cloud ECS');
    const instances = await revealTreeItem(ui, shots, [...TEST_VPC, 'Instances']);
    await ui.expand(instances);
    await ui.treeItem(WORKERS[0].name, 4).waitFor();
    const groupFolder = ui.treeItem('Security Groups', 3);
    await ui.expand(groupFolder);
    const testAlt = ui.treeItem('test-alt', 4);
    await testAlt.waitFor();
    assert.equal(
      await testAlt.locator('.label-description').textContent(),
      'sg-bp1testalt · normal · 0 instances',
    );
    await shots.take('test-vpc-expanded');

    // Ctrl-click sets the anchor and Shift-click extends the range to it. A plain click on an
    // instance row would expand it as well.
    await ui.treeItem(WORKERS[0].name, 4).click({ modifiers: ['Control'] });
    await ui.treeItem(WORKERS[2].name, 4).click({ modifiers: ['Shift'] });
    await shots.take('selection');
    assert.deepEqual(
      await ui.selectedTreeLabels(),
      WORKERS.map(({ name }) => name),
    );

    const join = await ui.openContextMenu(
      ui.treeItem(WORKERS[1].name, 4),
      'Join Security Group...',
    );
    await shots.take('context-menu');
    await ui.runMenuItem(join);

    const group = ui.quickPickItem('test-alt');
    await group.waitFor();
    assert.equal(await ui.quickInputTitle.textContent(), 'Join Security Group: 3 instances');
    const rows = await ui.readQuickPick();
    await shots.take('group-pick');
    const testAltRow = rows.find(({ label }) => label === 'test-alt');
    assert.equal(testAltRow?.detail, '3 of 3 can join');
    await group.click();

    const dialog = await ui.readDialog();
    await shots.take('plan-dialog');
    assert.equal(dialog.message, 'Join 3 instances to security group test-alt (sg-bp1testalt)?');
    assert.match(dialog.detail, /^3 will join\.$/m);
    assert.doesNotMatch(dialog.detail, /skipped|ignored/);
    assert.ok(dialog.buttons.includes('Join'), `dialog buttons: ${dialog.buttons.join(', ')}`);
    assert.equal(ecs.count('JoinSecurityGroup'), 0, 'a join was sent before the confirmation');

    await ui.dialogButton('Join').click();
    await ui.dialog.waitFor({ state: 'hidden' });
    const summary = ui.notification('3 joined');
    await summary.waitFor();
    await shots.take('summary-notification');
    assert.equal(
      await summary.locator('.notification-list-item-message').textContent(),
      '3 joined, 0 failed, 0 skipped',
    );
    assert.equal(await summary.locator('.notification-list-item-icon.codicon-info').count(), 1);
    assert.ok(await ui.notificationButton(summary, 'Undo').isVisible(), 'no Undo button');
    assert.ok(await ui.notificationButton(summary, 'Show Log').isVisible(), 'no Show Log button');

    const joinRequests = requestsOf(ecs, 'JoinSecurityGroup');
    assert.equal(joinRequests.length, 3);
    assert.deepEqual(
      joinRequests.map(({ params }) => params.InstanceId).sort(),
      [...WORKER_IDS].sort(),
    );
    for (const request of joinRequests) {
      assert.equal(request.status, 200, `${request.params.InstanceId}: ${request.code}`);
      assert.equal(request.params.SecurityGroupId, 'sg-bp1testalt');
      assert.equal(request.params.RegionId, 'cn-hangzhou');
    }
    for (const instanceId of WORKER_IDS) {
      assert.deepEqual(groupsOf(ecs, instanceId), ['sg-bp1test', 'sg-bp1testalt'], instanceId);
    }

    await testAlt.filter({ hasText: '3 instances' }).waitFor();
    await shots.take('group-count-updated');

    await ui.showOutputChannel('Alibaba Cloud ECS');
    await ui.filterOutput('JoinSecurityGroup done');
    const itemLines = await ui.outputLines('JoinSecurityGroup done');
    await shots.take('output-channel');
    assert.equal(itemLines.length, 3, `item lines:\n${itemLines.join('\n')}`);
    for (const { name, instanceId } of WORKERS) {
      const line = itemLines.find((candidate) => candidate.includes(`instance=${instanceId} `));
      assert.ok(line, `no log line for ${instanceId}`);
      assert.match(line, /securityGroup=sg-bp1testalt region=cn-hangzhou/);
      assert.ok(
        line.includes(`Instance ${name} (${instanceId}) joined security group test-alt`),
        line,
      );
    }
  });

  it('undoes the batch from its notification', async function () {
    const { page, shots } = workbench();
    const { ecs } = uiRun();
    ecs.resetRequests();

    // The toast may have hidden by now, and the notifications center keeps it with its buttons.
    await ui.showNotificationsCenter();
    const summary = ui.notificationsCenterItem('3 joined, 0 failed, 0 skipped');
    await summary.waitFor();
    await shots.take('notifications-center');
    await ui.notificationButton(summary, 'Undo').click();
    // The center closes once its last notification is gone, so the result arrives as a toast.
    await page.locator('.notifications-center.visible').waitFor({ state: 'hidden' });

    const undone = ui.notification('3 left');
    await undone.waitFor();
    await shots.take('undo-summary');
    assert.equal(
      await undone.locator('.notification-list-item-message').textContent(),
      '3 left, 0 failed, 0 skipped',
    );
    assert.equal(await ui.notificationButton(undone, 'Undo').count(), 0);
    assert.equal(await ui.dialog.count(), 0, 'Undo asked for confirmation');

    const leaveRequests = requestsOf(ecs, 'LeaveSecurityGroup');
    assert.equal(ecs.count('LeaveSecurityGroup'), 3);
    assert.equal(ecs.count('JoinSecurityGroup'), 0);
    assert.deepEqual(
      leaveRequests.map(({ params }) => params.InstanceId).sort(),
      [...WORKER_IDS].sort(),
    );
    for (const request of leaveRequests) {
      assert.equal(request.status, 200, `${request.params.InstanceId}: ${request.code}`);
      assert.equal(request.params.SecurityGroupId, 'sg-bp1testalt');
    }
    for (const instanceId of WORKER_IDS) {
      assert.deepEqual(groupsOf(ecs, instanceId), ['sg-bp1test'], instanceId);
    }
    await ui.treeItem('test-alt', 4).filter({ hasText: '0 instances' }).waitFor();
    await shots.take('group-count-restored');

    // The Undo was taken, so a second one has nothing to reverse.
    await ui.runCommand('Alibaba Cloud ECS: Undo Last Security Group Change');
    await ui.notification('There is no security group change to undo.').waitFor();
    await shots.take('nothing-to-undo');
    assert.equal(ecs.count('LeaveSecurityGroup'), 3);
    assert.equal(ecs.count('JoinSecurityGroup'), 0);
  });

  it('counts a selected folder as ignored', async function () {
    const { page, shots } = workbench();
    const { ecs } = uiRun();
    ecs.resetRequests();

    await ui.openViewContainer('Alibaba Cloud ECS');
    const groupFolder = ui.treeItem('Security Groups', 3);
    await ui.treeItem(WORKERS[0].name, 4).click({ modifiers: ['Control'] });
    await ui.treeItem(WORKERS[2].name, 4).click({ modifiers: ['Shift'] });
    await groupFolder.click({ modifiers: ['Control'] });
    await shots.take('selection-with-folder');
    assert.deepEqual(await ui.selectedTreeLabels(), [
      ...WORKERS.map(({ name }) => name),
      'Security Groups',
    ]);

    await ui.treeItem(WORKERS[1].name, 4).click({ button: 'right' });
    await page.locator('.context-view .monaco-menu').waitFor();
    await shots.take('context-menu-with-folder');
    const entries = (await page.getByRole('menuitem').allTextContents())
      .map((entry) => entry.trim())
      .filter(Boolean);
    // VS Code 1.100 lists only the entries whose `when` clause matches every selected item.
    assert.ok(
      entries.includes('Join Security Group...'),
      `The context menu of a selection of 3 instances and the Security Groups folder lacks ` +
        `Join Security Group..., so the folder cannot be ignored and counted. Entries: ` +
        entries.join(', '),
    );
    await ui.runMenuItem(ui.menuItem('Join Security Group...'));

    const group = ui.quickPickItem('test-alt');
    await group.waitFor();
    assert.equal(await ui.quickInputTitle.textContent(), 'Join Security Group: 3 instances');
    await shots.take('group-pick-with-folder');
    await group.click();

    const dialog = await ui.readDialog();
    await shots.take('plan-dialog-with-folder');
    assert.equal(dialog.message, 'Join 3 instances to security group test-alt (sg-bp1testalt)?');
    assert.match(dialog.detail, /^3 will join\.$/m);
    assert.match(dialog.detail, /^1 selected items? .*ignored\.$/m);
    await ui.dialogButton('Join').click();

    const summary = ui.notification('3 joined');
    await summary.waitFor();
    await shots.take('summary-with-folder');
    assert.equal(
      await summary.locator('.notification-list-item-message').textContent(),
      '3 joined, 0 failed, 0 skipped, 1 ignored (not instances)',
    );
    assert.equal(ecs.count('JoinSecurityGroup'), 3);
    for (const instanceId of WORKER_IDS) {
      assert.deepEqual(groupsOf(ecs, instanceId), ['sg-bp1test', 'sg-bp1testalt'], instanceId);
    }
  });
});
