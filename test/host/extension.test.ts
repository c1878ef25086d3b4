import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EcsExtensionApi } from '../../src/extension';
import type { BatchSummary } from '../../src/service/membershipRunner';
import type { EcsNode, GroupNode, InstanceNode } from '../../src/tree/nodes';
import type { EcsServer } from '../server/ecsServer';
import { activateExtension, connectToOwnServer, waitFor } from './support';

// The extension runs from its bundle, so its classes are not the ones compiled for the tests and
// `instanceof` cannot be used; nodes are identified by their data.
function isInstanceNode(node: EcsNode, instanceId: string): node is InstanceNode {
  return (node as Partial<InstanceNode>).instance?.instanceId === instanceId;
}

function isGroupNode(node: EcsNode, groupId: string): node is GroupNode {
  return (node as Partial<GroupNode>).group?.securityGroupId === groupId;
}

interface ContributedCommand {
  command: string;
}

describe('extension in the VS Code extension host', () => {
  let api: EcsExtensionApi;
  let server: EcsServer;

  // The launcher's endpoint in the user settings, put back for the suites that run after this one.
  let launcherEndpoint: string | undefined;

  before(async () => {
    api = await activateExtension();
    launcherEndpoint = vscode.workspace
      .getConfiguration('alibabaCloud.ecs')
      .inspect<string>('endpoint')?.globalValue;
    server = await connectToOwnServer(api);
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('alibabaCloud.ecs')
      .update('endpoint', launcherEndpoint, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  beforeEach(() => {
    server.reset();
    server.resetRequests();
    server.clearFaults();
  });

  it('registers every contributed command', async () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'),
    ) as { contributes: { commands: ContributedCommand[] } };
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands.map((entry) => entry.command);
    assert.ok(contributed.length >= 5);
    assert.deepEqual(
      contributed.filter((command) => !registered.has(command)),
      [],
    );
  });

  it('finds credentials in the fixture profile', async () => {
    const state = await api.session().checkCredentials();
    assert.equal(state.kind, 'found');
    if (state.kind === 'found') {
      assert.match(state.providerName, /cli_profile/);
      assert.equal(state.maskedAccessKeyId, 'LTAI****01');
    }
  });

  it('lists regions, VPCs, instances and groups', async () => {
    const regions = await api.tree.getChildren();
    const regionIds = regions.map((node) => node.id);
    assert.ok(regionIds.includes('region/cn-hangzhou'), regionIds.join(', '));
    assert.ok(regionIds.includes('region/cn-shanghai'));

    const hangzhou = regions.find((node) => node.id === 'region/cn-hangzhou');
    const networks = await api.tree.getChildren(hangzhou);
    const networkIds = networks.map((node) => node.id);
    assert.ok(networkIds.includes('region/cn-hangzhou/vpc/vpc-bp1prod'), networkIds.join(', '));
    assert.ok(networkIds.includes('region/cn-hangzhou/classic'), 'a classic-network node');

    const prod = networks.find((node) => node.id === 'region/cn-hangzhou/vpc/vpc-bp1prod');
    const [instancesFolder, groupsFolder] = await api.tree.getChildren(prod);
    const instances = await api.tree.getChildren(instancesFolder);
    const web = instances.find((node) => isInstanceNode(node, 'i-bp1web01prod'));
    assert.ok(web, 'the web instance is listed');
    const item = web.toTreeItem();
    assert.equal(item.label, '生产-web-01');
    assert.match(String(item.description), /i-bp1web01prod/);
    assert.match(String(item.description), /Running/);

    const groups = await api.tree.getChildren(groupsFolder);
    const full = groups.find((node) => isGroupNode(node, 'sg-bp1full'));
    assert.ok(full, 'the full group is listed');
    assert.match(String(full.toTreeItem().description), /normal · 2 instances/);
  });

  it('shows the groups an instance is in', async () => {
    const web = await findInstance('i-bp1web01prod');
    const children = await api.tree.getChildren(web);
    const groupIds = children.flatMap((node) => {
      const group = (node as Partial<GroupNode>).group;
      return group ? [group.securityGroupId] : [];
    });
    assert.deepEqual(groupIds, ['sg-bp1web', 'sg-bp1ssh']);
    const eni = children.find((node) => node.id.endsWith('/eni/eni-bp1web01sec'));
    assert.ok(eni, 'the secondary network interface is listed');
    const eniGroups = await api.tree.getChildren(eni);
    assert.deepEqual(
      eniGroups.map((node) => (node as GroupNode).group.securityGroupId),
      ['sg-bp1web'],
    );
  });

  it('joins through the command and updates the tree in place', async () => {
    const web = await findInstance('i-bp1web01prod');
    const idBefore = web.id;

    const outcome = (await vscode.commands.executeCommand('alibabaCloud.ecs.joinSecurityGroup', {
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1web01prod',
      securityGroupId: 'sg-bp1app',
    })) as BatchSummary;

    assert.equal(outcome.done, 1, outcome.results[0]?.message);
    assert.equal(server.count('JoinSecurityGroup'), 1);
    const stored = server.state.instances.find((item) => item.instanceId === 'i-bp1web01prod');
    assert.deepEqual(stored?.securityGroupIds, ['sg-bp1web', 'sg-bp1ssh', 'sg-bp1app']);
    assert.equal(web.id, idBefore);
    assert.deepEqual(web.instance.securityGroupIds, ['sg-bp1web', 'sg-bp1ssh', 'sg-bp1app']);
    const groups = await api.tree.getChildren(web);
    assert.ok(groups.some((node) => (node as GroupNode).group.securityGroupId === 'sg-bp1app'));
  });

  it('refuses a Starting instance without a request', async () => {
    const outcome = (await vscode.commands.executeCommand('alibabaCloud.ecs.joinSecurityGroup', {
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1starting01prod',
      securityGroupId: 'sg-bp1web',
    })) as BatchSummary;

    assert.equal(outcome.skipped, 1);
    assert.match(outcome.results[0].message, /Starting/);
    assert.equal(server.count('JoinSecurityGroup'), 0);
  });

  it('joins a network interface through the command', async () => {
    const summary = (await vscode.commands.executeCommand('alibabaCloud.ecs.joinSecurityGroup', {
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1web01prod',
      networkInterfaceId: 'eni-bp1web01sec',
      securityGroupId: 'sg-bp1spare',
    })) as BatchSummary;

    assert.equal(summary.done, 1, summary.results[0]?.message);
    const [join] = server.requests.filter((request) => request.action === 'JoinSecurityGroup');
    assert.equal(join.params.NetworkInterfaceId, 'eni-bp1web01sec');
    assert.equal(join.params.InstanceId, undefined);
  });

  it('undoes the last join exactly once', async () => {
    await vscode.commands.executeCommand('alibabaCloud.ecs.joinSecurityGroup', {
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1app01prod',
      securityGroupId: 'sg-bp1spare',
    });
    const stored = server.state.instances.find((item) => item.instanceId === 'i-bp1app01prod');
    assert.ok(stored?.securityGroupIds.includes('sg-bp1spare'), 'the join happened');

    const undone = (await vscode.commands.executeCommand('alibabaCloud.ecs.undo')) as BatchSummary;

    assert.equal(undone.action, 'leave');
    assert.equal(undone.done, 1, undone.results[0]?.message);
    assert.equal(server.count('LeaveSecurityGroup'), 1);
    assert.deepEqual(stored?.securityGroupIds, ['sg-bp1app', 'sg-bp1nearfull']);
    const again = await vscode.commands.executeCommand('alibabaCloud.ecs.undo');
    assert.equal(again, undefined);
    assert.equal(server.count('LeaveSecurityGroup'), 1);
  });

  it('keeps the endpoint after another setting changes', async () => {
    const config = vscode.workspace.getConfiguration('alibabaCloud.ecs');
    const before = api.session();
    await config.update('maxSecurityGroupsPerInstance', 6, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('a new session after the change', () => api.session() !== before);
      assert.equal(api.session().endpoint?.url, server.endpoint);
      await api.tree.getChildren();
      assert.ok(server.count('DescribeRegions') > 0, 'the local server still gets the requests');
    } finally {
      await config.update(
        'maxSecurityGroupsPerInstance',
        undefined,
        vscode.ConfigurationTarget.Global,
      );
    }
  });

  it('reloads a load that a session change overtook', async () => {
    const config = vscode.workspace.getConfiguration('alibabaCloud.ecs');
    const before = api.session();
    server.latencyMs = 400;
    try {
      // The load starts with every region shown; the new session shows only cn-shanghai.
      const pending = api.tree.getChildren();
      await config.update('regions', ['cn-shanghai'], vscode.ConfigurationTarget.Global);
      await waitFor('a new session after the change', () => api.session() !== before);
      const regions = await pending;

      assert.deepEqual(
        regions.map((node) => node.id),
        ['region/cn-shanghai'],
      );
    } finally {
      server.latencyMs = 0;
      await config.update('regions', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('sends nothing while the endpoint setting is invalid', async () => {
    const config = vscode.workspace.getConfiguration('alibabaCloud.ecs');
    await config.update('endpoint', '127.0.0.1:18090', vscode.ConfigurationTarget.Global);
    try {
      await waitFor(
        'the invalid endpoint to be read',
        () => api.session().invalidEndpoint !== undefined,
      );
      const summary = (await vscode.commands.executeCommand('alibabaCloud.ecs.joinSecurityGroup', {
        regionId: 'cn-hangzhou',
        instanceId: 'i-bp1web01prod',
        securityGroupId: 'sg-bp1app',
      })) as BatchSummary | undefined;

      assert.equal(summary, undefined, 'the command ended with an error');
      assert.equal(server.requests.length, 0);
      assert.equal(api.session().endpoint, undefined);
    } finally {
      await config.update('endpoint', server.endpoint, vscode.ConfigurationTarget.Global);
      await waitFor(
        'the valid endpoint again',
        () => api.session().endpoint?.url === server.endpoint,
      );
    }
  });

  it('shows a failed region as an error node', async () => {
    server.failNext('DescribeVpcs', { code: 'Forbidden.RAM', status: 403 });
    const hangzhou = (await api.tree.getChildren()).find(
      (node) => node.id === 'region/cn-hangzhou',
    );
    const children = await api.tree.getChildren(hangzhou);
    assert.equal(children.length, 1);
    const item = children[0].toTreeItem();
    assert.match(String(item.label), /not allowed/);
    assert.equal(item.command?.command, 'alibabaCloud.ecs.refresh');
    const retried = await api.tree.getChildren(hangzhou);
    assert.ok(retried.length > 1, 'the retry loads the VPCs');
  });

  async function findInstance(instanceId: string): Promise<InstanceNode> {
    const hangzhou = (await api.tree.getChildren()).find(
      (node) => node.id === 'region/cn-hangzhou',
    );
    const prod = (await api.tree.getChildren(hangzhou)).find((node) =>
      node.id.endsWith('/vpc/vpc-bp1prod'),
    );
    const [instancesFolder] = await api.tree.getChildren(prod);
    const instances = await api.tree.getChildren(instancesFolder);
    const found = instances.find((node) => isInstanceNode(node, instanceId));
    assert.ok(found && isInstanceNode(found, instanceId), `instance ${instanceId} is in the tree`);
    return found;
  }
});
