// Profiles, credentials and regions inside the extension host, against a local ECS server. The
// CLI profile file is a copy of test/fixtures/profiles/config.json that ALIBABA_CLOUD_CONFIG_FILE
// names, so the tests can change it without touching the fixture HOME.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CredentialReport } from '../../src/commands/profiles';
import type { EcsExtensionApi } from '../../src/extension';
import type { EcsNode, ErrorNode, RegionNode } from '../../src/tree/nodes';
import type { EcsServer } from '../server/ecsServer';
import {
  readFixtureConfig,
  startCredentialsUriServer,
  STS_KEY,
  writeProfileFile,
  type CredentialsUriServer,
} from '../service/profileFixtures';
import { activateExtension, connectToOwnServer, waitFor } from './support';

const FIXTURE_KEY = {
  accessKeyId: 'LTAI5tFixtureAccessKey01',
  accessKeySecret: 'fixtureSecret-0001-not-a-real-key',
};

type Show = (message: string, ...items: unknown[]) => Thenable<unknown>;
type ShowName = 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage';

/**
 * Records the text of every notification the extension shows. The test files and the bundled
 * extension live in the same extension folder, so they share one `vscode` API object.
 */
function recordNotifications(): { messages: string[]; restore(): void } {
  const messages: string[] = [];
  const window = vscode.window as unknown as Record<ShowName, Show>;
  const names: ShowName[] = ['showErrorMessage', 'showWarningMessage', 'showInformationMessage'];
  const originals = names.map((name) => window[name]);
  names.forEach((name, index) => {
    window[name] = (message: string, ...items: unknown[]) => {
      messages.push(message);
      return originals[index](message, ...items);
    };
  });
  return {
    messages,
    restore: () => names.forEach((name, index) => (window[name] = originals[index])),
  };
}

function isErrorNode(node: EcsNode): node is ErrorNode {
  return node.id.endsWith('/error');
}

describe('profiles and regions in the extension host', () => {
  let api: EcsExtensionApi;
  let server: EcsServer;
  let uriServer: CredentialsUriServer;
  let configFile: string;
  let notifications: ReturnType<typeof recordNotifications>;
  const savedVariables = new Map<string, string | undefined>();

  /** Sets or removes a variable of this host process; `after` restores the original. */
  function setVariable(name: string, value: string | undefined) {
    if (!savedVariables.has(name)) {
      savedVariables.set(name, process.env[name]);
    }
    if (value === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = value;
    }
  }

  /** Runs Switch Profile with a name and waits until the new session has looked up credentials. */
  async function switchTo(name: string) {
    const before = api.session();
    await vscode.commands.executeCommand('alibabaCloud.ecs.switchProfile', name);
    await waitFor(`the session of profile "${name}"`, () => api.session() !== before);
    await waitFor('the credential lookup', () => api.session().credentialState.kind !== 'unknown');
  }

  async function rootNodes(): Promise<EcsNode[]> {
    return api.tree.getChildren();
  }

  async function regionIds(): Promise<string[]> {
    return (await rootNodes()).map((node) => (node as RegionNode).region?.regionId ?? node.id);
  }

  before(async () => {
    api = await activateExtension();
    server = await connectToOwnServer(api);
    uriServer = await startCredentialsUriServer();
    configFile = writeProfileFile({ uri: uriServer.url });
    setVariable('ALIBABA_CLOUD_CONFIG_FILE', configFile);
    notifications = recordNotifications();
    await switchTo('default');
  });

  after(async () => {
    notifications.restore();
    for (const [name, value] of savedVariables) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
    await vscode.commands.executeCommand('alibabaCloud.ecs.switchProfile', '');
    await vscode.workspace
      .getConfiguration('alibabaCloud.ecs')
      .update('endpoint', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
    await uriServer.close();
  });

  beforeEach(() => {
    server.reset();
    server.resetRequests();
    server.clearFaults();
    notifications.messages.length = 0;
  });

  it('shows profile and region in the status bar', async () => {
    await switchTo('default');
    assert.equal(api.statusBar.text, '$(cloud) default · cn-hangzhou');
  });

  it('switches profile with a loaded tree', async () => {
    await switchTo('default');
    const hangzhou = (await rootNodes()).find((node) => node.id === 'region/cn-hangzhou');
    assert.ok(hangzhou, 'the default profile lists cn-hangzhou');
    const networks = await api.tree.getChildren(hangzhou);
    const prod = networks.find((node) => node.id.endsWith('/vpc/vpc-bp1prod'));
    const [instancesFolder] = await api.tree.getChildren(prod);
    await api.tree.getChildren(instancesFolder);
    assert.ok(api.tree.findInstanceNode('cn-hangzhou', 'i-bp1web01prod'), 'the tree is loaded');

    await switchTo('sts');

    assert.equal(api.statusBar.text, '$(cloud) sts · cn-shanghai');
    assert.equal(
      api.tree.findInstanceNode('cn-hangzhou', 'i-bp1web01prod'),
      undefined,
      'no node of the old account is left',
    );
    server.resetRequests();
    const roots = await rootNodes();
    assert.ok(!roots.includes(hangzhou), 'the regions were loaded again');
    assert.ok(server.requests.length > 0);
    for (const request of server.requests) {
      assert.equal(request.accessKeyId, STS_KEY.accessKeyId);
      assert.equal(request.headers['x-acs-security-token'], STS_KEY.securityToken);
    }
  });

  it('explains a disabled key once per profile', async () => {
    await switchTo('inactive');
    const first = api.session();
    const roots = await rootNodes();
    assert.equal(roots.length, 1);
    assert.ok(isErrorNode(roots[0]), roots[0].id);
    assert.match(String(roots[0].toTreeItem().label), /disabled/);
    assert.notEqual(api.session(), first, 'a refused key builds a new session');
    assert.equal(api.session().selection.profileName, 'inactive');

    await rootNodes();
    await rootNodes();

    assert.equal(server.count('DescribeRegions'), 3);
    const shown = notifications.messages.filter((message) => message.includes('"inactive"'));
    assert.equal(shown.length, 1, notifications.messages.join('\n'));
    assert.match(shown[0], /The AccessKey is disabled/);
    assert.match(shown[0], /InvalidAccessKeyId\.Inactive/);
  });

  it('explains an expired STS token once per profile', async () => {
    await switchTo('expired');
    await rootNodes();
    await rootNodes();
    const shown = notifications.messages.filter((message) => message.includes('"expired"'));
    assert.equal(shown.length, 1, notifications.messages.join('\n'));
    assert.match(shown[0], /InvalidSecurityToken\.Expired/);
  });

  it('explains an unsupported mode without requests', async () => {
    await switchTo('sso');
    const state = api.session().credentialState;
    assert.equal(state.kind, 'missing');
    assert.equal(state.kind === 'missing' ? state.problem?.kind : '', 'unsupportedMode');
    assert.deepEqual(await rootNodes(), [], 'the welcome view shows');
    assert.equal(api.statusBar.text, '$(cloud) sso · cn-hangzhou');
    const shown = notifications.messages.filter((message) => message.includes('"sso"'));
    assert.equal(shown.length, 1, notifications.messages.join('\n'));
    assert.match(shown[0], /Profile "sso" uses the mode CloudSSO/);
    assert.equal(server.requests.length, 0);
  });

  it('picks up a change to the profile file', async () => {
    await switchTo('');
    assert.equal(api.session().selection.profileName, 'default');
    assert.equal(api.session().selection.origin, 'current');

    fs.writeFileSync(
      configFile,
      fs.readFileSync(configFile, 'utf8').replace('"current": "default"', '"current": "sts"'),
    );

    await waitFor(
      'the session to follow the file',
      () => api.session().selection.profileName === 'sts',
    );
    await waitFor('the status bar', () => api.statusBar.text === '$(cloud) sts · cn-shanghai');
    fs.writeFileSync(
      configFile,
      fs.readFileSync(configFile, 'utf8').replace('"current": "sts"', '"current": "default"'),
    );
    await waitFor(
      'the session to follow the file back',
      () => api.session().selection.profileName === 'default',
    );
  });

  it('uses environment keys as their own source', async () => {
    setVariable('ALIBABA_CLOUD_ACCESS_KEY_ID', STS_KEY.accessKeyId);
    setVariable('ALIBABA_CLOUD_ACCESS_KEY_SECRET', STS_KEY.accessKeySecret);
    setVariable('ALIBABA_CLOUD_SECURITY_TOKEN', STS_KEY.securityToken);
    try {
      await switchTo('<environment>');
      assert.equal(api.session().selection.kind, 'environment');
      assert.match(api.statusBar.text, /^\$\(cloud\) environment · /);
      await rootNodes();
      assert.ok(server.requests.length > 0);
      assert.equal(server.requests[0].accessKeyId, STS_KEY.accessKeyId);
      assert.equal(server.requests[0].status, 200);
    } finally {
      setVariable('ALIBABA_CLOUD_ACCESS_KEY_ID', undefined);
      setVariable('ALIBABA_CLOUD_ACCESS_KEY_SECRET', undefined);
      setVariable('ALIBABA_CLOUD_SECURITY_TOKEN', undefined);
    }
  });

  it('names the supported variables for old ones', async () => {
    setVariable('ALICLOUD_ACCESS_KEY', 'LTAI5tOldVariable01');
    setVariable('ALICLOUD_SECRET_KEY', 'old-variable-secret');
    setVariable('ALIBABA_CLOUD_CONFIG_FILE', `${configFile}.absent`);
    try {
      await switchTo('');
      const state = api.session().credentialState;
      assert.equal(state.kind === 'missing' ? state.problem?.kind : state.kind, 'legacyVariables');
      const shown = notifications.messages.filter((message) =>
        message.includes('ALICLOUD_ACCESS_KEY'),
      );
      assert.equal(shown.length, 1, notifications.messages.join('\n'));
      assert.match(shown[0], /ALIBABA_CLOUD_ACCESS_KEY_ID/);
      assert.match(shown[0], /ALIBABA_CLOUD_ACCESS_KEY_SECRET/);
      assert.ok(!shown[0].includes('old-variable-secret'));
    } finally {
      setVariable('ALICLOUD_ACCESS_KEY', undefined);
      setVariable('ALICLOUD_SECRET_KEY', undefined);
      setVariable('ALIBABA_CLOUD_CONFIG_FILE', configFile);
    }
  });

  it('adds a profile with its secret in SecretStorage', async () => {
    const name = 'added-in-test';
    try {
      await vscode.commands.executeCommand('alibabaCloud.ecs.addProfile', {
        name,
        accessKeyId: FIXTURE_KEY.accessKeyId,
        accessKeySecret: FIXTURE_KEY.accessKeySecret,
        regionId: 'cn-beijing',
      });
      await waitFor('the added profile', () => api.session().selection.profileName === name);
      await waitFor('its credentials', () => api.session().credentialState.kind === 'found');
      assert.equal(api.session().selection.kind, 'stored');
      assert.equal(api.statusBar.text, `$(cloud) ${name} · cn-beijing`);
      assert.equal(await api.accounts.stored.readSecret(name), FIXTURE_KEY.accessKeySecret);
      const settings = JSON.stringify(vscode.workspace.getConfiguration('alibabaCloud.ecs'));
      assert.ok(!settings.includes(FIXTURE_KEY.accessKeySecret), 'no secret in the settings');
      const inspected = vscode.workspace.getConfiguration('alibabaCloud.ecs').inspect('profile');
      assert.equal(inspected?.globalValue, name);

      await rootNodes();
      assert.equal(server.requests[0].accessKeyId, FIXTURE_KEY.accessKeyId);
      assert.equal(server.requests[0].status, 200);
    } finally {
      await api.accounts.stored.remove(name);
      await switchTo('default');
    }
    assert.equal(await api.accounts.stored.readSecret(name), undefined);
  });

  it('rejects a name the CLI file uses', async () => {
    await vscode.commands.executeCommand('alibabaCloud.ecs.addProfile', {
      name: 'sts',
      accessKeyId: FIXTURE_KEY.accessKeyId,
      accessKeySecret: FIXTURE_KEY.accessKeySecret,
      regionId: 'cn-beijing',
    });
    assert.equal(api.accounts.stored.list().length, 0);
    assert.ok(
      notifications.messages.some((message) => /already has a profile named "sts"/.test(message)),
      notifications.messages.join('\n'),
    );
  });

  it('shows the source and the masked AccessKey ID', async () => {
    await switchTo('default');
    const report = (await vscode.commands.executeCommand(
      'alibabaCloud.ecs.showCredentials',
    )) as CredentialReport;
    assert.equal(report.maskedAccessKeyId, 'LTAI****01');
    assert.equal(report.providerName, 'cli_profile/static_ak');
    assert.match(report.profile, /^default \(AK, /);
    assert.match(report.source, /Chosen in the setting alibabaCloud\.ecs\.profile/);
    const shown = notifications.messages.filter((message) => message.includes('LTAI****01'));
    assert.equal(shown.length, 1, notifications.messages.join('\n'));
    assert.ok(!shown[0].includes(FIXTURE_KEY.accessKeyId));
  });

  it('keeps the shown regions per profile', async () => {
    await switchTo('default');
    try {
      await vscode.commands.executeCommand('alibabaCloud.ecs.showOrHideRegions', ['cn-shanghai']);
      assert.deepEqual(await regionIds(), ['cn-shanghai']);
      await switchTo('sts');
      assert.ok((await regionIds()).includes('cn-hangzhou'), 'another profile shows all');
      await switchTo('default');
      assert.deepEqual(await regionIds(), ['cn-shanghai']);
    } finally {
      await vscode.commands.executeCommand('alibabaCloud.ecs.showOrHideRegions', []);
    }
    assert.ok((await regionIds()).includes('cn-hangzhou'));
  });

  it('keeps the active region per profile', async () => {
    await switchTo('default');
    try {
      await vscode.commands.executeCommand('alibabaCloud.ecs.switchRegion', 'cn-beijing');
      assert.equal(api.statusBar.text, '$(cloud) default · cn-beijing');
      await switchTo('sts');
      assert.equal(api.statusBar.text, '$(cloud) sts · cn-shanghai');
      await switchTo('default');
      assert.equal(api.statusBar.text, '$(cloud) default · cn-beijing');
    } finally {
      await vscode.commands.executeCommand('alibabaCloud.ecs.switchRegion', 'cn-hangzhou');
    }
  });

  it('retries only the failed region', async () => {
    await switchTo('default');
    server.failNext('DescribeVpcs', { code: 'Forbidden.RAM', status: 403, times: 2 });
    const roots = await rootNodes();
    const hangzhou = roots.find((node) => node.id === 'region/cn-hangzhou');
    const shanghai = roots.find((node) => node.id === 'region/cn-shanghai');
    const [hangzhouError] = await api.tree.getChildren(hangzhou);
    const [shanghaiError] = await api.tree.getChildren(shanghai);
    assert.ok(isErrorNode(hangzhouError), hangzhouError.id);
    assert.ok(isErrorNode(shanghaiError), shanghaiError.id);
    const denied = notifications.messages.filter((message) => message.includes('Forbidden.RAM'));
    assert.equal(denied.length, 1, 'one message for both regions');
    // Each region also lists its classic instances, and those requests may still be on the way.
    await waitFor('both regions to finish', () => server.count('DescribeInstances') === 2);

    server.resetRequests();
    const retry = hangzhouError.toTreeItem().command;
    assert.equal(retry?.command, 'alibabaCloud.ecs.refresh');
    await vscode.commands.executeCommand(retry.command, ...(retry.arguments ?? []));
    const children = await api.tree.getChildren(hangzhou);

    assert.ok(children.length > 1, 'the retry loads the VPCs');
    assert.ok(server.requests.length > 0);
    for (const request of server.requests) {
      assert.equal(request.params.RegionId, 'cn-hangzhou', request.action);
    }
  });

  it('signs with a CredentialsURI profile', async () => {
    await switchTo('uri');
    await rootNodes();
    assert.equal(server.requests[0].accessKeyId, STS_KEY.accessKeyId);
    assert.equal(server.requests[0].status, 200);
  });

  it('signs with an External profile', async () => {
    await switchTo('external-sts');
    await rootNodes();
    assert.equal(server.requests[0].accessKeyId, STS_KEY.accessKeyId);
    assert.equal(server.requests[0].headers['x-acs-security-token'], STS_KEY.securityToken);
  });

  it('keeps provider output out of messages', async () => {
    for (const profile of ['uri-broken', 'external-failing']) {
      await switchTo(profile);
      assert.deepEqual(await rootNodes(), [], profile);
    }
    const shown = notifications.messages.filter((message) =>
      message.includes('Getting credentials'),
    );
    assert.equal(shown.length, 2, notifications.messages.join('\n'));
    assert.match(shown[0], /profile "uri-broken" \(mode CredentialsURI\)/);
    assert.match(shown[1], /profile "external-failing" \(mode External\)/);
    for (const message of shown) {
      assert.ok(!message.includes(STS_KEY.accessKeySecret), message);
      assert.ok(!message.includes(FIXTURE_KEY.accessKeySecret), message);
    }
  });

  it('never writes the CLI profile file', () => {
    const expected = writeProfileFile({ uri: uriServer.url });
    assert.equal(fs.readFileSync(configFile, 'utf8'), fs.readFileSync(expected, 'utf8'));
    assert.ok(readFixtureConfig().includes('{{HELPER}}'), 'the fixture itself is untouched');
  });
});
