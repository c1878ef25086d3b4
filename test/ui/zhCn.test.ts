// The join from the tree with the display language set to Simplified Chinese (zh-cn).
import * as assert from 'node:assert/strict';
import { requestsOf, revealTreeItem } from './ecsExtension';
import { uiRun, useWorkbench } from './harness';
import { installStubLanguagePack } from './languagePack';
import { WorkbenchPage } from './workbenchPage';

describe('Join in Simplified Chinese', function () {
  const workbench = useWorkbench({
    name: 'zh-cn',
    locale: 'zh-cn',
    browserLocale: 'zh-CN',
    prepare: (dirs) => installStubLanguagePack(dirs, 'zh-cn', '中文(简体)'),
  });

  it('joins 生产-web-01 to 应用服务器', async function () {
    const { page, shots } = workbench();
    const { ecs } = uiRun();
    const ui = new WorkbenchPage(page);

    // The view container's title comes from package.nls.zh-cn.json.
    await ui.openViewContainer('阿里云 ECS');
    await ui.treeItem('华东1（杭州）', 1).waitFor();
    await shots.take('view-opened');
    // The extension requests region names in the language of vscode.env.language, so zh-CN here
    // shows that the language pack switched it to zh-cn.
    const regionRequests = requestsOf(ecs, 'DescribeRegions');
    assert.ok(regionRequests.length > 0, 'DescribeRegions was not sent');
    assert.equal(regionRequests[0].params.AcceptLanguage, 'zh-CN');

    const instance = await revealTreeItem(ui, shots, [
      '华东1（杭州）',
      '生产网络-prod',
      '实例',
      '生产-web-01',
    ]);
    assert.equal(
      await instance.locator('.label-description').textContent(),
      '运行中 · i-bp1web01prod',
    );

    const join = await ui.openContextMenu(instance, '加入安全组...');
    await shots.take('context-menu');
    await join.click();

    const group = ui.quickPickItem('应用服务器');
    await group.waitFor();
    assert.equal(
      await ui.quickInputTitle.textContent(),
      '加入安全组：生产-web-01 (i-bp1web01prod)',
    );
    const rows = await ui.readQuickPick();
    assert.ok(
      rows.some(({ separator }) => separator === '不可选择'),
      `separators: ${rows.map(({ separator }) => separator).join(', ')}`,
    );
    await shots.take('group-pick');
    await group.click();

    const toast = ui.notification(
      '实例 生产-web-01 (i-bp1web01prod) 已加入安全组 应用服务器 (sg-bp1app)。',
    );
    await toast.waitFor();
    await shots.take('join-notification');

    assert.equal(ecs.count('JoinSecurityGroup'), 1);
    const joined = ecs.state.instances.find(({ instanceId }) => instanceId === 'i-bp1web01prod');
    assert.deepEqual(joined?.securityGroupIds, ['sg-bp1web', 'sg-bp1ssh', 'sg-bp1app']);

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
});
