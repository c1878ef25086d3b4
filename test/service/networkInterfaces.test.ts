import * as assert from 'node:assert/strict';
import { createTranslator } from '../../src/i18n/translate';
import { JoinService } from '../../src/service/joinService';
import type { MembershipPair } from '../../src/service/membershipPlan';
import type { EcsServer } from '../server/ecsServer';
import { startHarness, type GatewayHarness } from './support';

function eniPair(networkInterfaceId: string, securityGroupId: string): MembershipPair {
  return {
    regionId: 'cn-hangzhou',
    instanceId: 'i-bp1web01prod',
    networkInterfaceId,
    securityGroupId,
  };
}

describe('network interface joins and leaves', () => {
  let harness: GatewayHarness;
  let server: EcsServer;
  let service: JoinService;

  before(async () => {
    harness = await startHarness();
    server = harness.server;
    service = new JoinService({
      gateway: harness.gateway,
      translate: createTranslator(),
      groupsPerInstance: () => 5,
    });
  });

  after(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.reset();
    server.resetRequests();
    server.clearFaults();
  });

  it('lists the secondary interfaces of an instance', async () => {
    const page = await harness.gateway.listNetworkInterfaces('cn-hangzhou', {
      instanceId: 'i-bp1web01prod',
      type: 'Secondary',
    });
    assert.deepEqual(
      page.items.map((eni) => eni.networkInterfaceId),
      ['eni-bp1web01sec'],
    );
    assert.deepEqual(page.items[0].securityGroupIds, ['sg-bp1web']);
  });

  it('joins with NetworkInterfaceId and RegionId, never InstanceId', async () => {
    const plan = await service.plan('join', [eniPair('eni-bp1web01sec', 'sg-bp1spare')]);
    const summary = await service.run(plan, { concurrencyPerRegion: 1 });

    assert.equal(summary.done, 1, summary.results[0].message);
    const [join] = server.requests.filter((request) => request.action === 'JoinSecurityGroup');
    assert.equal(join.params.NetworkInterfaceId, 'eni-bp1web01sec');
    assert.equal(join.params.RegionId, 'cn-hangzhou');
    assert.equal(join.params.InstanceId, undefined);
    const eni = server.state.networkInterfaces.find(
      (item) => item.networkInterfaceId === 'eni-bp1web01sec',
    );
    assert.deepEqual(eni?.securityGroupIds, ['sg-bp1web', 'sg-bp1spare']);
    assert.match(
      summary.results[0].message,
      /^Network interface web-01-辅助网卡 \(eni-bp1web01sec\) joined/,
    );
    const instance = server.state.instances.find((item) => item.instanceId === 'i-bp1web01prod');
    assert.ok(
      !instance?.securityGroupIds.includes('sg-bp1spare'),
      "the instance's own groups are unchanged",
    );
  });

  it('counts the limit on the interface own groups', async () => {
    // The instance is in 2 groups and the interface in 1; with a limit of 2 only the interface
    // can still join.
    const strict = new JoinService({
      gateway: harness.gateway,
      translate: createTranslator(),
      groupsPerInstance: () => 2,
    });
    const plan = await strict.plan('join', [
      eniPair('eni-bp1web01sec', 'sg-bp1spare'),
      eniPair('eni-bp1web01sec', 'sg-bp1app'),
    ]);

    assert.deepEqual(
      plan.items.map((item) => item.refusal?.rule),
      [undefined, 'instanceLimit'],
    );
    assert.match(plan.items[1].reason ?? '', /^Network interface .* already in 2 security groups/);
    assert.equal(server.count('JoinSecurityGroup'), 0);
  });

  it('refuses a group of another VPC without sending', async () => {
    const plan = await service.plan('join', [eniPair('eni-bp1web01sec', 'sg-bp1test')]);
    assert.equal(plan.skipped[0]?.refusal?.rule, 'vpc');
    assert.equal(server.count('JoinSecurityGroup'), 0);
  });

  it('refuses to leave the last group of an interface', async () => {
    const plan = await service.plan('leave', [eniPair('eni-bp1web01sec', 'sg-bp1web')]);
    assert.equal(plan.skipped[0]?.refusal?.rule, 'lastGroup');
    assert.match(plan.skipped[0]?.reason ?? '', /network interface/);
  });

  it('leaves a group with NetworkInterfaceId', async () => {
    const joined = await service.run(
      await service.plan('join', [eniPair('eni-bp1web01sec', 'sg-bp1spare')]),
      {
        concurrencyPerRegion: 1,
      },
    );
    assert.equal(joined.done, 1);

    const left = await service.run(
      await service.plan('leave', [eniPair('eni-bp1web01sec', 'sg-bp1spare')]),
      {
        concurrencyPerRegion: 1,
      },
    );

    assert.equal(left.done, 1, left.results[0].message);
    const [leave] = server.requests.filter((request) => request.action === 'LeaveSecurityGroup');
    assert.equal(leave.params.NetworkInterfaceId, 'eni-bp1web01sec');
    assert.equal(leave.params.InstanceId, undefined);
  });
});
