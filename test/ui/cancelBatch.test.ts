// Cancelling a batch join from its progress notification, and the Undo of the part that was
// sent, in an English workbench. The local ECS server delays every response and the extension
// sends one request at a time, so the batch is still running when Cancel is clicked.
import * as assert from 'node:assert/strict';
import { writeUserSettings } from '../support/codeServer';
import { groupsOf, requestsOf, revealTreeItem } from './ecsExtension';
import { uiRun, useWorkbench } from './harness';
import { WorkbenchPage } from './workbenchPage';

/** Delay of each ECS response while the batch runs. */
const LATENCY_MS = 1500;
const WORKERS = [
  { name: '测试-worker-01', instanceId: 'i-bp1worker01' },
  { name: 'test-worker-02', instanceId: 'i-bp1worker02' },
  { name: '测试-worker-03', instanceId: 'i-bp1worker03' },
  { name: 'test-worker-04', instanceId: 'i-bp1worker04' },
  { name: '测试-worker-05', instanceId: 'i-bp1worker05' },
  { name: 'test-worker-06', instanceId: 'i-bp1worker06' },
];
const SUMMARY_PATTERN = /^(\d+) joined, 0 failed, 0 skipped, (\d+) not sent \(cancelled\)$/;

describe('Cancel a batch join', function () {
  const workbench = useWorkbench({
    name: 'cancel-batch',
    prepare: ({ userDataDir }) =>
      writeUserSettings(userDataDir, { 'alibabaCloud.ecs.concurrencyPerRegion': 1 }),
  });
  let ui: WorkbenchPage;

  before(function () {
    ui = new WorkbenchPage(workbench().page);
  });

  afterEach(function () {
    uiRun().ecs.latencyMs = 0;
  });

  it('stops a batch of 6 and undoes the sent part', async function () {
    const { shots } = workbench();
    const { ecs } = uiRun();

    await ui.openViewContainer('Alibaba Cloud ECS');
    const instances = await revealTreeItem(ui, shots, [
      'China (Hangzhou)',
      'test-vpc',
      'Instances',
    ]);
    await ui.expand(instances);
    await ui.treeItem(WORKERS[0].name, 4).click({ modifiers: ['Control'] });
    await ui.treeItem(WORKERS[5].name, 4).click({ modifiers: ['Shift'] });
    await shots.take('six-selected');
    assert.deepEqual(
      await ui.selectedTreeLabels(),
      WORKERS.map(({ name }) => name),
    );

    const join = await ui.openContextMenu(
      ui.treeItem(WORKERS[0].name, 4),
      'Join Security Group...',
    );
    await ui.runMenuItem(join);
    const group = ui.quickPickItem('test-alt');
    await group.waitFor();
    assert.equal(await ui.quickInputTitle.textContent(), 'Join Security Group: 6 instances');
    await group.click();

    const dialog = await ui.readDialog();
    await shots.take('plan-dialog');
    assert.match(dialog.detail, /^6 will join\.$/m);
    ecs.latencyMs = LATENCY_MS;
    await ui.dialogButton('Join').click();

    const progress = ui.notification('Joining security groups');
    await progress.filter({ hasText: '1 of 6' }).waitFor();
    await shots.take('progress');
    await ui.notificationButton(progress, 'Cancel').click();

    const summary = ui.notification('not sent (cancelled)');
    await summary.waitFor();
    ecs.latencyMs = 0;
    await shots.take('cancelled-summary');
    const summaryText =
      (await summary.locator('.notification-list-item-message').textContent()) ?? '';
    const counts = SUMMARY_PATTERN.exec(summaryText);
    assert.ok(counts, `summary: ${summaryText}`);
    const joined = Number(counts[1]);
    const cancelled = Number(counts[2]);
    assert.equal(joined + cancelled, WORKERS.length, summaryText);
    // The first result is shown once the second request is on its way, so at least 2 are sent.
    assert.ok(joined >= 2, summaryText);
    assert.ok(cancelled >= 1, summaryText);

    // The runner waits for the requests in flight, so the server has recorded every one of them.
    const joinRequests = requestsOf(ecs, 'JoinSecurityGroup');
    assert.equal(joinRequests.length, joined);
    const joinedIds = joinRequests.map(({ params }) => params.InstanceId);
    for (const { instanceId } of WORKERS) {
      const expected = joinedIds.includes(instanceId)
        ? ['sg-bp1test', 'sg-bp1testalt']
        : ['sg-bp1test'];
      assert.deepEqual(groupsOf(ecs, instanceId), expected, instanceId);
    }

    ecs.resetRequests();
    await ui.notificationButton(summary, 'Undo').click();
    const undone = ui.notification(`${joined} left`);
    await undone.waitFor();
    await shots.take('undo-summary');
    assert.equal(
      await undone.locator('.notification-list-item-message').textContent(),
      `${joined} left, 0 failed, 0 skipped`,
    );
    assert.equal(ecs.count('JoinSecurityGroup'), 0);
    assert.deepEqual(
      requestsOf(ecs, 'LeaveSecurityGroup')
        .map(({ params }) => params.InstanceId)
        .sort(),
      [...joinedIds].sort(),
    );
    for (const { instanceId } of WORKERS) {
      assert.deepEqual(groupsOf(ecs, instanceId), ['sg-bp1test'], instanceId);
    }

    await ui.showOutputChannel('Alibaba Cloud ECS');
    await ui.filterOutput('JoinSecurityGroup not sent');
    const notSent = await ui.outputLines('JoinSecurityGroup not sent instance=');
    await shots.take('output-channel');
    assert.equal(notSent.length, cancelled, `not-sent lines:\n${notSent.join('\n')}`);
    for (const line of notSent) {
      assert.match(
        line,
        /\[warning\] .*securityGroup=sg-bp1testalt region=cn-hangzhou: cancelled$/,
      );
    }
  });
});
