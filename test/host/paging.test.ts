// The tree against the large-account fixture (20 regions, 40,000 instances, 4,000 groups): lazy
// loading, paging with Load More, overlapping refreshes, and Find Instance... revealing an
// instance whose page is not loaded.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EcsExtensionApi } from '../../src/extension';
import type { SdkEcsGateway } from '../../src/ecs/gateway';
import type { Instance } from '../../src/ecs/model';
import type { EcsNode, LoadMoreNode, PagedFolderNode } from '../../src/tree/nodes';
import {
  generateLargeFixture,
  instanceIdOf,
  instanceNameOf,
  LARGE_FIXTURE_SIZE,
  LARGEST,
} from '../fixtures/largeFixture';
import { startEcsServer, type EcsServer, type RecordedRequest } from '../server/ecsServer';
import { activateExtension, waitFor } from './support';

// The extension runs from its bundle, so `instanceof` cannot tell its nodes apart; the tests
// read their ids and data instead.
const LOAD_MORE_ID = /\/loadMore$/;
const REGION_NODE_ID = `region/${LARGEST.regionId}`;
const VPC_NODE_ID = `${REGION_NODE_ID}/vpc/${LARGEST.vpcId}`;
const FOLDER_ID = `${VPC_NODE_ID}/instances`;

/** The maximum page size of each list action, from the ECS 2014-05-26 API reference. */
const DOCUMENTED_MAXIMUM: Record<string, { param: string; max: number }> = {
  DescribeInstances: { param: 'MaxResults', max: 100 },
  DescribeSecurityGroups: { param: 'MaxResults', max: 100 },
  DescribeNetworkInterfaces: { param: 'MaxResults', max: 500 },
  DescribeVpcs: { param: 'PageSize', max: 50 },
};

function requestsOf(server: EcsServer, action: string): RecordedRequest[] {
  return server.requests.filter((request) => request.action === action);
}

function instanceIds(nodes: EcsNode[]): string[] {
  return nodes.flatMap((node) => {
    const instance = (node as Partial<{ instance: Instance }>).instance;
    return instance ? [instance.instanceId] : [];
  });
}

describe('large account in the extension host', function () {
  this.timeout(120_000);
  let api: EcsExtensionApi;
  let server: EcsServer;
  let previousEndpoint: string | undefined;

  before(async () => {
    api = await activateExtension();
    server = await startEcsServer({ fixture: generateLargeFixture() });
    const settings = vscode.workspace.getConfiguration('alibabaCloud.ecs');
    previousEndpoint = settings.inspect<string>('endpoint')?.globalValue;
    await settings.update('endpoint', server.endpoint, vscode.ConfigurationTarget.Global);
    await waitFor(
      `the extension to use ${server.endpoint}`,
      () => api.session().endpoint?.url === server.endpoint,
    );
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('alibabaCloud.ecs')
      .update('endpoint', previousEndpoint, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  beforeEach(async () => {
    api.tree.refresh();
    server.clearFaults();
    server.latencyMs = 0;
    // A page that the previous test left on its way would be counted by this one.
    const gateway = api.session().gateway as SdkEcsGateway;
    await waitFor('the requests in flight to end', () => gateway.load.inFlight === 0);
    server.resetRequests();
  });

  async function childById(parent: EcsNode | undefined, id: string): Promise<EcsNode> {
    const children = await api.tree.getChildren(parent);
    const found = children.find((node) => node.id === id);
    assert.ok(found, `${id} is among ${children.map((node) => node.id).join(', ')}`);
    return found;
  }

  async function largestFolder(): Promise<PagedFolderNode> {
    const region = await childById(undefined, REGION_NODE_ID);
    const vpc = await childById(region, VPC_NODE_ID);
    return (await childById(vpc, FOLDER_ID)) as PagedFolderNode;
  }

  /** Expands the folder unless it is, waits until its pages stop arriving, and returns them. */
  async function settledChildren(folder: PagedFolderNode): Promise<EcsNode[]> {
    if (!folder.pager) {
      await api.tree.getChildren(folder);
    }
    await waitFor(`${folder.id} to stop loading`, () => folder.pager?.view().loading === false);
    return api.tree.getChildren(folder);
  }

  it('opens the view with one DescribeRegions', async () => {
    const regions = await api.tree.getChildren();

    assert.equal(regions.length, LARGE_FIXTURE_SIZE.regions);
    assert.deepEqual(
      server.requests.map((request) => request.action),
      ['DescribeRegions'],
    );
  });

  it('loads a region and a VPC only when expanded', async () => {
    const region = await childById(undefined, REGION_NODE_ID);
    server.resetRequests();

    const networks = await api.tree.getChildren(region);
    assert.deepEqual(networks.map((node) => node.id).sort(), [
      `${REGION_NODE_ID}/vpc/vpc-lg00dev`,
      VPC_NODE_ID,
      `${REGION_NODE_ID}/vpc/vpc-lg00test`,
    ]);
    assert.deepEqual(server.requests.map((request) => request.action).sort(), [
      'DescribeInstances',
      'DescribeVpcs',
    ]);

    server.resetRequests();
    const vpc = networks.find((node) => node.id === VPC_NODE_ID);
    const folders = await api.tree.getChildren(vpc);
    assert.deepEqual(
      folders.map((node) => node.id),
      [FOLDER_ID, `${VPC_NODE_ID}/securityGroups`],
    );
    assert.equal(server.requests.length, 0, 'a VPC shows its folders without a request');
    assert.equal(folders[0].toTreeItem().description, undefined, 'no count before expanding');
  });

  it('shows the first page before the others arrive', async () => {
    const folder = await largestFolder();
    server.resetRequests();
    server.latencyMs = 30;

    const firstPage = await api.tree.getChildren(folder);

    assert.equal(instanceIds(firstPage).length, 100);
    assert.equal(requestsOf(server, 'DescribeInstances').length, 1);
    const last = firstPage[firstPage.length - 1];
    assert.match(last.id, LOAD_MORE_ID);
    assert.equal((last as LoadMoreNode).state.kind, 'loading');
    assert.equal(folder.toTreeItem().description, '100+');
    // A drag carries the dragged nodes as JSON, which must not take in the folder's other items.
    assert.ok(JSON.stringify(firstPage[0]).length < 5_000, 'a node serializes without its folder');
  });

  it('pages a folder of 5,000 instances with Load More', async () => {
    const folder = await largestFolder();
    server.resetRequests();

    await api.tree.getChildren(folder);
    let children = await settledChildren(folder);
    assert.equal(instanceIds(children).length, 500);
    const loadMore = children[children.length - 1] as LoadMoreNode;
    assert.match(loadMore.id, LOAD_MORE_ID);
    assert.deepEqual(loadMore.state, { kind: 'more', shown: 500 });
    const item = loadMore.toTreeItem();
    assert.equal(item.label, 'Load More');
    assert.equal(item.description, '500 shown');
    assert.equal(item.command?.command, 'alibabaCloud.ecs.loadMore');
    assert.equal(folder.toTreeItem().description, '500+');
    assert.equal(requestsOf(server, 'DescribeInstances').length, 5, 'no page past the limit');

    for (let round = 2; round <= 10; round++) {
      await vscode.commands.executeCommand('alibabaCloud.ecs.loadMore', folder);
      children = await settledChildren(folder);
      assert.equal(instanceIds(children).length, round * 500, `after Load More ${round - 1}`);
    }

    const ids = instanceIds(children);
    assert.equal(new Set(ids).size, LARGEST.vpcInstances, 'each instance once');
    assert.equal(ids[0], instanceIdOf(0, 0));
    assert.equal(ids[ids.length - 1], instanceIdOf(0, LARGEST.vpcInstances - 1));
    assert.ok(!children.some((node) => LOAD_MORE_ID.test(node.id)), 'no Load More at the end');
    assert.equal(folder.toTreeItem().description, String(LARGEST.vpcInstances));
    const pages = requestsOf(server, 'DescribeInstances');
    assert.equal(pages.length, LARGEST.vpcInstances / 100, 'one request per page of 100');
    assert.equal(pages[0].params.NextToken, undefined);
    assert.equal(pages[pages.length - 1].params.NextToken !== undefined, true);
  });

  it('counts groups from the listing itself', async () => {
    const region = await childById(undefined, REGION_NODE_ID);
    const vpc = await childById(region, `${REGION_NODE_ID}/vpc/vpc-lg00dev`);
    const folder = (await childById(
      vpc,
      `${REGION_NODE_ID}/vpc/vpc-lg00dev/securityGroups`,
    )) as PagedFolderNode;
    server.resetRequests();

    const groups = await settledChildren(folder);

    assert.equal(groups.length, 50);
    assert.equal(folder.toTreeItem().description, '50');
    assert.match(String(groups[0].toTreeItem().description), /\d+ instances$/);
    assert.deepEqual(
      server.requests.map((request) => request.action),
      ['DescribeSecurityGroups'],
    );
  });

  it('ends overlapping refreshes with the newer load', async () => {
    const folder = await largestFolder();
    await settledChildren(folder);
    const first = server.state.instances.find(
      (instance) => instance.instanceId === instanceIdOf(0, 0),
    );
    assert.ok(first);
    const originalName = first.instanceName;

    try {
      server.latencyMs = 400;
      api.tree.refresh(folder);
      const older = api.tree.getChildren(folder);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The older load's request is on its way with the old name; the newer one gets the new.
      first.instanceName = 'renamed-by-the-test';
      server.latencyMs = 0;
      api.tree.refresh(folder);
      const newer = api.tree.getChildren(folder);
      const [olderResult, newerResult] = await Promise.all([older, newer]);

      assert.equal(olderResult, newerResult, 'both callers get the newer load');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const children = await settledChildren(folder);
      const ids = instanceIds(children);
      assert.equal(ids.length, 500);
      assert.equal(new Set(ids).size, 500, 'one copy of each node');
      assert.equal(children[0].toTreeItem().label, 'renamed-by-the-test');
    } finally {
      first.instanceName = originalName;
    }
  });

  it('keeps node ids and the shown count across a refresh', async () => {
    const folder = await largestFolder();
    await settledChildren(folder);
    await vscode.commands.executeCommand('alibabaCloud.ecs.loadMore', folder);
    const before = await settledChildren(folder);
    server.resetRequests();

    api.tree.refresh(folder);
    await api.tree.getChildren(folder);
    const after = await settledChildren(folder);

    assert.deepEqual(
      after.map((node) => node.id),
      before.map((node) => node.id),
    );
    assert.deepEqual(
      server.requests.map((request) => request.action),
      Array(10).fill('DescribeInstances'),
      'only the refreshed folder is loaded again',
    );
  });

  it('shows a failed later page as a row to retry', async () => {
    const folder = await largestFolder();
    server.latencyMs = 20;
    await api.tree.getChildren(folder);
    server.failNext('DescribeInstances', { code: 'InternalError', status: 500, times: 4 });

    const children = await settledChildren(folder);
    const last = children[children.length - 1] as LoadMoreNode;
    assert.equal(last.state.kind, 'failed');
    assert.match(String(last.toTreeItem().label), /^Failed to load more: /);
    assert.equal(instanceIds(children).length, 100);

    await vscode.commands.executeCommand('alibabaCloud.ecs.loadMore', folder);
    const retried = await settledChildren(folder);
    assert.equal(instanceIds(retried).length, 500);
  });

  it('never asks for more than the documented maximum', async () => {
    const folder = await largestFolder();
    await settledChildren(folder);
    const [instance] = await api.tree.getChildren(folder);
    await api.tree.getChildren(instance);
    const vpc = await childById(await childById(undefined, REGION_NODE_ID), VPC_NODE_ID);
    const groups = (await childById(vpc, `${VPC_NODE_ID}/securityGroups`)) as PagedFolderNode;
    await settledChildren(groups);

    const checked = new Set<string>();
    for (const request of server.requests) {
      const rule = DOCUMENTED_MAXIMUM[request.action];
      if (rule) {
        checked.add(request.action);
        const value = Number(request.params[rule.param]);
        assert.ok(value >= 1, `${request.action} ${rule.param}=${value}`);
        assert.ok(value <= rule.max, `${request.action} ${rule.param}=${value}`);
      }
      for (const name of ['InstanceIds', 'SecurityGroupIds']) {
        if (request.params[name]) {
          assert.ok((JSON.parse(request.params[name]) as string[]).length <= 100, name);
        }
      }
    }
    assert.deepEqual([...checked].sort(), [
      'DescribeInstances',
      'DescribeNetworkInterfaces',
      'DescribeSecurityGroups',
      'DescribeVpcs',
    ]);
  });

  it('reveals an instance whose page is not loaded', async () => {
    const index = 4321;
    const instanceId = instanceIdOf(0, index);
    server.resetRequests();

    const found = (await vscode.commands.executeCommand('alibabaCloud.ecs.findInstance', {
      regionId: LARGEST.regionId,
      query: instanceNameOf(LARGEST.regionId, index),
    })) as Instance | undefined;

    assert.equal(found?.instanceId, instanceId);
    const [search] = requestsOf(server, 'DescribeInstances');
    assert.equal(search.params.InstanceName, `*${instanceNameOf(LARGEST.regionId, index)}*`);
    const nodeId = `instance/${LARGEST.regionId}/${instanceId}`;
    await waitFor('the revealed instance to be selected', () =>
      api.view.selection.some((node) => node.id === nodeId),
    );
    // The folder the view shows, which the view loaded while revealing the instance.
    const folder = api.view.selection[0].parent as PagedFolderNode;
    assert.equal(folder.id, FOLDER_ID);
    const shown = folder.pager?.view().items.map((node) => node.id) ?? [];
    assert.ok(shown.includes(nodeId), 'the folder shows the found instance');
    assert.ok(shown.indexOf(nodeId) >= 100, 'after the first page, which holds the first 100');
    // A visible view loads nodes of its own on every refresh, which the next tests would count.
    await vscode.commands.executeCommand(
      'workbench.actions.treeView.alibabaCloud.ecs.explorer.collapseAll',
    );
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the view to be hidden', () => !api.view.visible);
  });
});
