// "Add Instances..." on a security group row: the multi-select pick with its refused instances,
// and the plan that skips a join once the group is full, in an English workbench.
import * as assert from 'node:assert/strict';
import { groupsOf, requestsOf, revealTreeItem } from './ecsExtension';
import { uiRun, useWorkbench } from './harness';
import { WorkbenchPage } from './workbenchPage';

const PICK_TITLE = 'Add Instances to 近满-near-full (sg-bp1nearfull)';

describe('Add instances to a group', function () {
  const workbench = useWorkbench({ name: 'add-instances' });
  let ui: WorkbenchPage;

  before(function () {
    ui = new WorkbenchPage(workbench().page);
  });

  it('skips the second join to 近满-near-full', async function () {
    const { shots } = workbench();
    const { ecs } = uiRun();

    await ui.openViewContainer('Alibaba Cloud ECS');
    const group = await revealTreeItem(ui, shots, [
      'China (Hangzhou)',
      '生产网络-prod',
      'Security Groups',
      '近满-near-full',
    ]);
    assert.equal(
      await group.locator('.label-description').textContent(),
      'sg-bp1nearfull · normal · 2 instances',
    );
    const add = await ui.openContextMenu(group, 'Add Instances...');
    await shots.take('context-menu');
    await ui.runMenuItem(add);

    const rows = await ui.readQuickPickCheckboxes();
    await shots.take('instance-pick');
    assert.equal(await ui.quickInputTitle.textContent(), PICK_TITLE);
    // Instances that can join come first, then the refused ones below the separator.
    assert.deepEqual(
      rows.slice(0, 4).map(({ label, detail, separator }) => ({ label, detail, separator })),
      [
        { label: '生产-web-01', detail: '', separator: '' },
        { label: '生产数据库-01', detail: '', separator: '' },
        { label: 'batch-worker-01', detail: '', separator: '' },
        { label: '欠费-financial-lock', detail: '', separator: '' },
      ],
    );
    assert.deepEqual(rows[4], {
      label: '生产-web-02',
      description: 'i-bp1web02prod · Running · 172.16.2.12, 47.96.10.12',
      detail: 'Already in this group.',
      separator: 'Cannot be chosen',
      checked: false,
    });
    const fiveGroups = rows.find(({ label }) => label === '五组-five-groups');
    assert.equal(fiveGroups?.detail, 'Already in 5 groups, the limit of 5.');
    assert.ok(
      rows.every(({ checked }) => !checked),
      'an instance was checked before any click',
    );

    // A refused instance does not stay checked, and the title shows the reason.
    await ui.quickPickCheckboxItem('五组-five-groups').click();
    await ui.quickInputTitle
      .filter({ hasText: `${PICK_TITLE}: 五组-five-groups — Already in 5 groups, the limit of 5.` })
      .waitFor();
    await shots.take('refused-instance-unchecked');
    assert.equal(
      await ui.quickPickCheckboxItem('五组-five-groups').getAttribute('aria-checked'),
      'false',
    );

    for (const label of ['生产-web-01', '生产数据库-01']) {
      const row = ui.quickPickCheckboxItem(label);
      await row.click();
      await row.and(ui.page.locator('[aria-checked="true"]')).waitFor();
    }
    await shots.take('two-checked');
    assert.deepEqual(
      (await ui.readQuickPickCheckboxes())
        .filter(({ checked }) => checked)
        .map(({ label }) => label),
      ['生产-web-01', '生产数据库-01'],
    );
    await ui.quickInput.getByRole('button', { name: 'OK', exact: true }).click();

    const dialog = await ui.readDialog();
    await shots.take('plan-dialog');
    assert.match(dialog.detail, /^1 will join\.$/m);
    assert.match(dialog.detail, /^1 skipped:$/m);
    assert.ok(
      dialog.detail.includes(
        '• Security group 近满-near-full (sg-bp1nearfull) is full (3 of 3 instances), so instance 生产数据库-01 (i-bp1db01prod) cannot join it.',
      ),
      `dialog detail:\n${dialog.detail}`,
    );
    assert.match(
      dialog.message,
      /^Join instance .+ \(i-[a-z0-9]+\) to security group 近满-near-full \(sg-bp1nearfull\)\?$/,
    );
    assert.equal(ecs.count('JoinSecurityGroup'), 0, 'a join was sent before the confirmation');

    await ui.dialogButton('Join').click();
    const summary = ui.notification('1 joined');
    await summary.waitFor();
    await shots.take('summary');
    assert.equal(
      await summary.locator('.notification-list-item-message').textContent(),
      '1 joined, 0 failed, 1 skipped',
    );
    const joinRequests = requestsOf(ecs, 'JoinSecurityGroup');
    assert.equal(joinRequests.length, 1);
    assert.equal(joinRequests[0].status, 200);
    assert.equal(joinRequests[0].params.InstanceId, 'i-bp1web01prod');
    assert.equal(joinRequests[0].params.SecurityGroupId, 'sg-bp1nearfull');
    assert.deepEqual(groupsOf(ecs, 'i-bp1web01prod'), ['sg-bp1web', 'sg-bp1ssh', 'sg-bp1nearfull']);
    assert.deepEqual(groupsOf(ecs, 'i-bp1db01prod'), ['sg-bp1db', 'sg-bp1full']);
    await group.filter({ hasText: 'sg-bp1nearfull · normal · 3 instances' }).waitFor();
    await shots.take('group-count-updated');
  });
});
