// Credentials in the workbench: switching profile from the status bar, and the welcome view
// when no source supplies credentials.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STATUS_BAR_ITEM_ID } from './ecsExtension';
import { uiRun, useWorkbench } from './harness';
import { WorkbenchPage } from './workbenchPage';

/** A HOME whose CLI profile file contains the fixture AccessKey and the fixture STS credentials. */
function homeWithTwoProfiles(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ui-home-'));
  fs.mkdirSync(path.join(home, '.aliyun'));
  const config = {
    current: 'default',
    profiles: [
      {
        name: 'default',
        mode: 'AK',
        access_key_id: 'LTAI5tFixtureAccessKey01',
        access_key_secret: 'fixtureSecret-0001-not-a-real-key',
        region_id: 'cn-hangzhou',
      },
      {
        name: 'sts',
        mode: 'StsToken',
        access_key_id: 'STS.FixtureStsAccessKey01',
        access_key_secret: 'fixtureStsSecret-0001-not-a-real-key',
        sts_token: 'fixtureStsToken-0001-not-a-real-token',
        region_id: 'cn-shanghai',
      },
    ],
  };
  fs.writeFileSync(path.join(home, '.aliyun', 'config.json'), JSON.stringify(config, null, 2));
  return home;
}

describe('Switch Profile from the status bar', function () {
  const workbench = useWorkbench({ name: 'switch-profile', env: { HOME: homeWithTwoProfiles() } });

  it('reloads the tree with the other profile', async function () {
    const { page, shots } = workbench();
    const { ecs } = uiRun();
    const ui = new WorkbenchPage(page);

    await ui.openViewContainer('Alibaba Cloud ECS');
    await ui.treeItem('China (Hangzhou)', 1).waitFor();
    const item = ui.statusBarItem(STATUS_BAR_ITEM_ID).filter({ hasText: 'default ·' });
    await item.waitFor();
    await shots.take('default-profile');
    assert.ok(ecs.requests.some((request) => request.accessKeyId === 'LTAI5tFixtureAccessKey01'));

    ecs.resetRequests();
    await item.click();
    await ui.quickPickItem('Switch Profile...').click();
    await ui.quickPickItem('sts').waitFor();
    await shots.take('profile-pick');
    await ui.quickPickItem('sts').click();

    const switched = ui.statusBarItem(STATUS_BAR_ITEM_ID).filter({ hasText: 'sts ·' });
    await switched.waitFor();
    await ui.treeItem('China (Hangzhou)', 1).waitFor();
    await shots.take('sts-profile');
    assert.match(await ui.statusBarText(switched), /^sts · /);
    const signedBy = new Set(ecs.requests.map((request) => request.accessKeyId));
    assert.deepEqual([...signedBy], ['STS.FixtureStsAccessKey01']);
    const withToken = ecs.requests.filter(
      (request) =>
        request.headers['x-acs-security-token'] === 'fixtureStsToken-0001-not-a-real-token',
    );
    assert.equal(withToken.length, ecs.requests.length, 'every request carries the STS token');
  });
});

describe('Welcome view without credentials', function () {
  const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ui-empty-home-'));
  const workbench = useWorkbench({ name: 'no-credentials', env: { HOME: emptyHome } });

  it('explains how to add credentials', async function () {
    const { page, shots } = workbench();
    const { ecs } = uiRun();
    const ui = new WorkbenchPage(page);

    await ui.openViewContainer('Alibaba Cloud ECS');
    const welcome = page.locator('.part.sidebar .welcome-view-content', {
      hasText: 'No Alibaba Cloud credentials were found.',
    });
    await welcome.waitFor();
    await shots.take('welcome-view');
    assert.match((await welcome.textContent()) ?? '', /ALIBABA_CLOUD_ACCESS_KEY_ID/);
    assert.equal(ecs.count('DescribeRegions'), 0, 'nothing is sent without credentials');
  });
});
