import * as assert from 'node:assert/strict';
import type { EcsGateway } from '../../src/ecs/gateway';
import { createTranslator } from '../../src/i18n/translate';
import { JoinService } from '../../src/service/joinService';
import type { MembershipPair } from '../../src/service/membershipPlan';
import type { EcsServer } from '../server/ecsServer';
import { startHarness, type GatewayHarness } from './support';

function pair(instanceId: string, securityGroupId: string): MembershipPair {
  return { regionId: 'cn-hangzhou', instanceId, securityGroupId };
}

/** Counts the gateway calls in flight at once, to check the concurrency cap. */
function countingConcurrency(gateway: EcsGateway): {
  gateway: EcsGateway;
  maxInFlight: () => number;
} {
  let inFlight = 0;
  let max = 0;
  const counted: EcsGateway = Object.create(gateway) as EcsGateway;
  counted.joinSecurityGroup = async (change, options) => {
    inFlight += 1;
    max = Math.max(max, inFlight);
    try {
      return await gateway.joinSecurityGroup(change, options);
    } finally {
      inFlight -= 1;
    }
  };
  return { gateway: counted, maxInFlight: () => max };
}

describe('batch joins and leaves', () => {
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
    server.latencyMs = 0;
  });

  it('plans with one read per action', async () => {
    const workers = ['i-bp1worker01', 'i-bp1worker02', 'i-bp1worker03', 'i-bp1worker04'];
    const plan = await service.plan(
      'join',
      workers.map((id) => pair(id, 'sg-bp1testalt')),
    );

    assert.equal(plan.ready.length, 4);
    assert.equal(plan.skipped.length, 0);
    assert.equal(server.count('DescribeInstances'), 1);
    assert.equal(server.count('DescribeSecurityGroups'), 1);
    assert.equal(server.count('JoinSecurityGroup'), 0);
  });

  it('reads at most 100 instances per call', async () => {
    const template = server.state.instances.find((item) => item.instanceId === 'i-bp1worker01');
    assert.ok(template);
    const ids: string[] = [];
    for (let index = 0; index < 150; index++) {
      const instanceId = `i-bp1bulk${String(index).padStart(3, '0')}`;
      server.state.instances.push({ ...template, instanceId, securityGroupIds: ['sg-bp1test'] });
      ids.push(instanceId);
    }

    const plan = await service.plan(
      'join',
      ids.map((id) => pair(id, 'sg-bp1testalt')),
    );

    assert.equal(plan.ready.length, 150);
    assert.equal(server.count('DescribeInstances'), 2);
    const sizes = server.requests
      .filter((request) => request.action === 'DescribeInstances')
      .map((request) => (JSON.parse(request.params.InstanceIds) as string[]).length);
    assert.deepEqual(sizes, [100, 50]);
  });

  it('counts earlier joins against a group capacity', async () => {
    // sg-bp1nearfull holds 2 of 3, so only the first of two joins fits.
    const plan = await service.plan('join', [
      pair('i-bp1web01prod', 'sg-bp1nearfull'),
      pair('i-bp1db01prod', 'sg-bp1nearfull'),
    ]);

    assert.deepEqual(
      plan.items.map((item) => item.refusal?.rule),
      [undefined, 'groupFull'],
    );
  });

  it('joins every ready instance and skips the rest', async () => {
    const plan = await service.plan('join', [
      pair('i-bp1web01prod', 'sg-bp1spare'),
      pair('i-bp1starting01prod', 'sg-bp1spare'),
      pair('i-bp1app01prod', 'sg-bp1spare'),
    ]);
    const summary = await service.run(plan, { concurrencyPerRegion: 5 });

    assert.equal(summary.done, 2);
    assert.equal(summary.skipped, 1);
    assert.equal(summary.failed, 0);
    assert.equal(server.count('JoinSecurityGroup'), 2);
    assert.deepEqual(
      summary.results.map((result) => result.status),
      ['done', 'skipped', 'done'],
    );
    assert.match(summary.results[1].message, /Starting/);
  });

  it('keeps going after a failure', async () => {
    server.failNext('JoinSecurityGroup', { code: 'InvalidInstanceId.Mismatch', status: 400 });
    const plan = await service.plan('join', [
      pair('i-bp1worker01', 'sg-bp1testalt'),
      pair('i-bp1worker02', 'sg-bp1testalt'),
      pair('i-bp1worker03', 'sg-bp1testalt'),
    ]);
    const summary = await service.run(plan, { concurrencyPerRegion: 1 });

    assert.equal(summary.failed, 1);
    assert.equal(summary.done, 2);
    assert.equal(summary.results[0].status, 'failed');
    assert.match(summary.results[0].message, /not in the same VPC/);
  });

  it('keeps to the concurrency cap per region', async () => {
    server.latencyMs = 30;
    const counted = countingConcurrency(harness.gateway);
    const capped = new JoinService({
      gateway: counted.gateway,
      translate: createTranslator(),
      groupsPerInstance: () => 5,
    });
    const workers = ['01', '02', '03', '04', '05', '06', '07'].map((n) => `i-bp1worker${n}`);
    const plan = await capped.plan(
      'join',
      workers.map((id) => pair(id, 'sg-bp1testalt')),
    );

    const summary = await capped.run(plan, { concurrencyPerRegion: 3 });

    assert.equal(summary.done, 7);
    assert.equal(counted.maxInFlight(), 3);
  });

  it('sends nothing more once cancelled', async () => {
    const signal = { cancelled: false };
    const workers = ['01', '02', '03', '04', '05'].map((n) => `i-bp1worker${n}`);
    const plan = await service.plan(
      'join',
      workers.map((id) => pair(id, 'sg-bp1testalt')),
    );

    const summary = await service.run(plan, {
      concurrencyPerRegion: 1,
      signal,
      onItem: (_result, finished) => {
        if (finished === 2) {
          signal.cancelled = true;
        }
      },
    });

    assert.equal(summary.done, 2);
    assert.equal(summary.cancelled, 3);
    assert.equal(server.count('JoinSecurityGroup'), 2);
  });

  it('refuses to leave the last group', async () => {
    const plan = await service.plan('leave', [pair('i-bp1test01', 'sg-bp1test')]);
    assert.equal(plan.skipped[0]?.refusal?.rule, 'lastGroup');
    assert.match(plan.skipped[0]?.reason ?? '', /at least one group/);
  });

  it('refuses leaving every group in one batch', async () => {
    const plan = await service.plan('leave', [
      pair('i-bp1web01prod', 'sg-bp1web'),
      pair('i-bp1web01prod', 'sg-bp1ssh'),
    ]);
    assert.deepEqual(
      plan.items.map((item) => item.refusal?.rule),
      [undefined, 'lastGroup'],
    );
  });

  it('leaves a group and changes server state', async () => {
    const plan = await service.plan('leave', [pair('i-bp1web01prod', 'sg-bp1ssh')]);
    const summary = await service.run(plan, { concurrencyPerRegion: 1 });

    assert.equal(summary.done, 1);
    const stored = server.state.instances.find((item) => item.instanceId === 'i-bp1web01prod');
    assert.deepEqual(stored?.securityGroupIds, ['sg-bp1web']);
    assert.match(summary.results[0].message, /left security group/);
  });

  it('refuses leaving a group the instance is not in', async () => {
    const plan = await service.plan('leave', [pair('i-bp1web01prod', 'sg-bp1app')]);
    assert.equal(plan.skipped[0]?.refusal?.rule, 'notMember');
    assert.equal(server.count('LeaveSecurityGroup'), 0);
  });

  it('reports a leave the server finds no membership for', async () => {
    server.failNext('LeaveSecurityGroup', {
      code: 'InvalidSecurityGroupAssociation.NotFound',
      status: 400,
    });
    const plan = await service.plan('leave', [pair('i-bp1web01prod', 'sg-bp1ssh')]);
    const summary = await service.run(plan, { concurrencyPerRegion: 1 });

    assert.equal(summary.failed, 1);
    assert.match(summary.results[0].message, /not in this security group/);
  });
});
