// The status bar item and the quick actions it opens, in an English workbench.
import * as assert from 'node:assert/strict';
import { STATUS_BAR_ITEM_ID } from './ecsExtension';
import { useWorkbench } from './harness';
import { WorkbenchPage } from './workbenchPage';

describe('Status bar quick actions', function () {
  const workbench = useWorkbench({ name: 'quick-actions' });

  it('switches the region to cn-shanghai', async function () {
    const { page, shots } = workbench();
    const ui = new WorkbenchPage(page);

    // The extension activates when its view opens, and only then shows the status bar item.
    await ui.openViewContainer('Alibaba Cloud ECS');
    const item = ui.statusBarItem(STATUS_BAR_ITEM_ID).filter({ hasText: 'cn-hangzhou' });
    await item.waitFor();
    await shots.take('status-bar-item');
    assert.match(await ui.statusBarText(item), / · cn-hangzhou$/);
    assert.equal(await item.locator('.codicon-cloud').count(), 1);

    await item.click();
    await ui.quickPickRows.first().waitFor();
    await shots.take('quick-actions');
    assert.equal(await ui.quickInputTitle.textContent(), 'Alibaba Cloud ECS');
    const actions = await ui.readQuickPick();
    assert.deepEqual(
      actions.map(({ label }) => label),
      [
        'Switch Profile...',
        'Switch Region...',
        'Join Security Group...',
        'Find Instance...',
        'Refresh',
        'Show Log',
      ],
    );

    await ui.quickPickItem('Switch Region...').click();
    await ui.quickInputTitle.filter({ hasText: /^Region$/ }).waitFor();
    await ui.quickPickItem('China (Shanghai)').waitFor();
    await shots.take('region-pick');
    const regions = await ui.readQuickPick();
    assert.deepEqual(regions[0], {
      label: 'China (Hangzhou)',
      description: 'cn-hangzhou ✓',
      detail: '',
      separator: '',
    });
    const shanghai = regions.find(({ label }) => label === 'China (Shanghai)');
    assert.equal(shanghai?.description, 'cn-shanghai');

    await ui.quickPickItem('China (Shanghai)').click();
    await ui.waitForQuickInputClosed();
    const switched = ui.statusBarItem(STATUS_BAR_ITEM_ID).filter({ hasText: 'cn-shanghai' });
    await switched.waitFor();
    await shots.take('status-bar-switched');
    assert.match(await ui.statusBarText(switched), / · cn-shanghai$/);

    const tooltip = await ui.hoverFor(switched, 'Region: cn-shanghai');
    await shots.take('status-bar-tooltip');
    assert.match((await tooltip.textContent()) ?? '', /Region: cn-shanghai/);
  });
});
