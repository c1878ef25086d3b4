// Joining instances by dragging their tree rows onto a security group row, in an English
// workbench. VS Code's tree uses HTML5 drag and drop, which Playwright's dragTo drives in Chromium.
import * as assert from 'node:assert/strict';
import { groupsOf, requestsOf, revealTreeItem } from './ecsExtension';
import { uiRun, useWorkbench } from './harness';
import { WorkbenchPage } from './workbenchPage';

describe('Drag instances onto a group', function () {
  const workbench = useWorkbench({ name: 'drag-and-drop' });
  let ui: WorkbenchPage;

  before(function () {
    ui = new WorkbenchPage(workbench().page);
  });

  it('joins a dropped instance to test-alt', async function () {
    const { shots } = workbench();
    const { ecs } = uiRun();

    await ui.openViewContainer('Alibaba Cloud ECS');
    const instances = await revealTreeItem(ui, shots, [
      'China (Hangzhou)',
      'test-vpc',
      'Instances',
    ]);
    await ui.expand(instances);
    const worker = ui.treeItem('test-worker-04', 4);
    await worker.waitFor();
    await ui.expand(ui.treeItem('Security Groups', 3));
    const testAlt = ui.treeItem('test-alt', 4);
    await testAlt.waitFor();
    await shots.take('tree-expanded');

    await worker.dragTo(testAlt);
    // A drop can land on the wrong row, so even one dropped instance is confirmed first.
    const dialog = await ui.readDialog();
    await shots.take('drop-confirmation');
    assert.equal(
      dialog.message,
      'Join instance test-worker-04 (i-bp1worker04) to security group test-alt (sg-bp1testalt)?',
    );
    await ui.dialogButton('Join').click();
    const toast = ui.notification(
      'Instance test-worker-04 (i-bp1worker04) joined security group test-alt (sg-bp1testalt).',
    );
    await toast.waitFor();
    await shots.take('dropped-on-test-alt');
    assert.equal(await toast.locator('.notification-list-item-icon.codicon-info').count(), 1);
    assert.ok(await ui.notificationButton(toast, 'Undo').isVisible(), 'no Undo button');

    const joinRequests = requestsOf(ecs, 'JoinSecurityGroup');
    assert.equal(joinRequests.length, 1);
    assert.equal(joinRequests[0].status, 200);
    assert.equal(joinRequests[0].params.InstanceId, 'i-bp1worker04');
    assert.equal(joinRequests[0].params.SecurityGroupId, 'sg-bp1testalt');
    assert.deepEqual(groupsOf(ecs, 'i-bp1worker04'), ['sg-bp1test', 'sg-bp1testalt']);
    await testAlt.filter({ hasText: 'sg-bp1testalt · normal · 1 instance' }).waitFor();
  });

  it('asks before joining two dropped instances', async function () {
    const { shots } = workbench();
    const { ecs } = uiRun();
    ecs.resetRequests();

    const first = ui.treeItem('测试-worker-05', 4);
    const second = ui.treeItem('测试-worker-07', 4);
    await first.click({ modifiers: ['Control'] });
    await second.click({ modifiers: ['Control'] });
    assert.deepEqual(await ui.selectedTreeLabels(), ['测试-worker-05', '测试-worker-07']);
    await shots.take('two-selected');

    await second.dragTo(ui.treeItem('test-alt', 4));
    const dialog = await ui.readDialog();
    await shots.take('drop-plan-dialog');
    assert.equal(dialog.message, 'Join 2 instances to security group test-alt (sg-bp1testalt)?');
    assert.match(dialog.detail, /^2 will join\.$/m);
    assert.equal(ecs.count('JoinSecurityGroup'), 0, 'a join was sent before the confirmation');
    await ui.dialogButton('Join').click();

    const summary = ui.notification('2 joined');
    await summary.waitFor();
    await shots.take('drop-summary');
    assert.equal(
      await summary.locator('.notification-list-item-message').textContent(),
      '2 joined, 0 failed, 0 skipped',
    );
    assert.deepEqual(
      requestsOf(ecs, 'JoinSecurityGroup')
        .map(({ params }) => params.InstanceId)
        .sort(),
      ['i-bp1worker05', 'i-bp1worker07'],
    );
    assert.deepEqual(groupsOf(ecs, 'i-bp1worker05'), ['sg-bp1test', 'sg-bp1testalt']);
    assert.deepEqual(groupsOf(ecs, 'i-bp1worker07'), ['sg-bp1test', 'sg-bp1testalt']);
  });

  it('refuses a drop onto a group the instance is in', async function () {
    const { shots } = workbench();
    const { ecs } = uiRun();
    ecs.resetRequests();

    // A row outside the selection is dragged alone.
    const worker = ui.treeItem('test-worker-02', 4);
    await worker.dragTo(ui.treeItem('测试-default', 4));
    const warning = ui.notification(
      'Instance test-worker-02 (i-bp1worker02) is already in security group 测试-default (sg-bp1test).',
    );
    await warning.waitFor();
    await shots.take('drop-refused');
    assert.equal(await warning.locator('.notification-list-item-icon.codicon-warning').count(), 1);
    assert.equal(ecs.count('JoinSecurityGroup'), 0);
    assert.deepEqual(groupsOf(ecs, 'i-bp1worker02'), ['sg-bp1test']);
  });
});
