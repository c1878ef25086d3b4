// The large-account fixture (20 regions, 40,000 instances, 4,000 groups) in the workbench: the
// view opens with one request, a folder of 5,000 instances pages with Load More, and Find
// Instance... reveals an instance whose page is not loaded.
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import {
  generateLargeFixture,
  instanceIdOf,
  instanceNameOf,
  LARGEST,
} from '../fixtures/largeFixture';
import { startEcsServer, type EcsServer } from '../server/ecsServer';
import { requestsOf, revealTreeItem } from './ecsExtension';
import { setUiRun, uiRun, useWorkbench, type UiRun } from './harness';
import { WorkbenchPage } from './workbenchPage';

/** Latency the large server adds to every response, so that pages arrive one by one. */
const LATENCY_MS = 20;

describe('Large account in the workbench', function () {
  let shared: UiRun;
  let large: EcsServer;

  // Runs before useWorkbench's hook, so the workbench's endpoint setting names the large server.
  before(async function () {
    this.timeout(120_000);
    shared = uiRun();
    large = await startEcsServer({ fixture: generateLargeFixture(), latencyMs: LATENCY_MS });
    setUiRun({ ...shared, ecs: large });
  });

  const workbench = useWorkbench({ name: 'large-account' });
  let ui: WorkbenchPage;

  // Registered after useWorkbench's hook, so it runs once the workbench is closed.
  after(async function () {
    setUiRun(shared);
    await large?.close();
  });

  before(function () {
    ui = new WorkbenchPage(workbench().page);
  });

  /** Presses End in the focused tree until the row shows, since new rows may still arrive. */
  async function pressEndUntilVisible(row: Locator): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await ui.page.keyboard.press('End');
      try {
        await row.waitFor({ timeout: 2_000 });
        return;
      } catch (error) {
        if (attempt === 10) {
          throw error;
        }
      }
    }
  }

  it('opens 20 regions with one request', async function () {
    const { shots } = workbench();
    await ui.openViewContainer('Alibaba Cloud ECS');
    await ui.treeItem(LARGEST.regionName, 1).waitFor();
    await ui.treeItem('UK (London)', 1).waitFor();
    await shots.take('regions');

    assert.deepEqual(
      large.requests.map((request) => request.action),
      ['DescribeRegions'],
    );
  });

  it('pages 5,000 instances with Load More', async function () {
    const { shots } = workbench();
    large.resetRequests();

    const folder = await revealTreeItem(ui, shots, [
      LARGEST.regionName,
      LARGEST.vpcName,
      'Instances',
    ]);
    assert.deepEqual(requestsOf(large, 'DescribeVpcs').length, 1);
    await ui.expand(folder);
    const first = ui.treeItem(instanceNameOf(LARGEST.regionId, 0), 4);
    await first.waitFor();
    await shots.take('first-page');
    await folder.locator('.label-description', { hasText: /^500\+$/ }).waitFor();

    // The Load More row is the folder's last row; End scrolls the tree down to it.
    await first.click();
    const loadMore = ui.treeItem('Load More', 4);
    await pressEndUntilVisible(loadMore);
    await shots.take('load-more');
    assert.equal(await loadMore.locator('.label-description').textContent(), '500 shown');
    const pages = requestsOf(large, 'DescribeInstances').filter(
      (request) => request.params.VpcId === LARGEST.vpcId,
    );
    assert.equal(pages.length, 5, 'five pages of 100 for the first 500');

    await loadMore.click();
    // The pages arrive after the click, and End scrolls only to the last row shown then.
    await pressEndUntilVisible(loadMore.locator('.label-description', { hasText: /^1000 shown$/ }));
    await shots.take('load-more-twice');
    const last = ui.treeItem(instanceNameOf(LARGEST.regionId, 999), 4);
    await last.waitFor();
    assert.equal(
      requestsOf(large, 'DescribeInstances').filter(
        (request) => request.params.VpcId === LARGEST.vpcId,
      ).length,
      10,
    );
  });

  it('reveals an instance beyond the loaded pages', async function () {
    const { shots } = workbench();
    const index = 3000;
    const address = `10.0.${index >> 8}.${index & 255}`;
    large.resetRequests();

    await ui.runCommand('Alibaba Cloud ECS: Find Instance...');
    await ui.quickInput.locator('input').fill(address);
    const result = ui.quickPickItem(instanceNameOf(LARGEST.regionId, index));
    await result.waitFor();
    await shots.take('find-result');
    const [row] = await ui.readQuickPick();
    assert.match(row.description, new RegExp(`^${instanceIdOf(0, index)} · `));
    await result.click();
    await ui.waitForQuickInputClosed();

    const revealed = ui.treeItem(instanceNameOf(LARGEST.regionId, index), 4);
    await revealed.and(ui.page.locator('[aria-selected="true"]')).waitFor();
    await shots.take('revealed');
    assert.deepEqual(await ui.selectedTreeLabels(), [instanceNameOf(LARGEST.regionId, index)]);
    // The found instance shows below the loaded pages, which it does not count as shown.
    assert.equal(
      await ui.treeItem('Load More', 4).locator('.label-description').textContent(),
      '1000 shown',
    );
    const searches = requestsOf(large, 'DescribeInstances');
    assert.equal(searches.length, 3, 'the three address filters, and no page of the folder');
  });
});
