import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTranslator } from '../../src/i18n/translate';
import { JoinService, type JoinOutcome } from '../../src/service/joinService';
import type { EcsServer } from '../server/ecsServer';
import { startHarness, type GatewayHarness } from './support';

const ZH_BUNDLE = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../l10n/bundle.l10n.zh-cn.json'), 'utf8'),
) as Record<string, string>;

function expectRefused(outcome: JoinOutcome, rule: string): string {
  assert.equal(
    outcome.kind,
    'refused',
    `expected a refusal, got ${outcome.kind}: ${outcome.message}`,
  );
  if (outcome.kind === 'refused') {
    assert.equal(outcome.refusal.rule, rule);
  }
  return outcome.message;
}

describe('JoinService against the local ECS server', () => {
  let harness: GatewayHarness;
  let server: EcsServer;
  let service: JoinService;
  let groupLimit = 5;

  before(async () => {
    harness = await startHarness();
    server = harness.server;
    service = new JoinService({
      gateway: harness.gateway,
      translate: createTranslator(),
      groupsPerInstance: () => groupLimit,
    });
  });

  after(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.reset();
    server.resetRequests();
    server.clearFaults();
    groupLimit = 5;
  });

  it('joins a running instance and changes server state', async () => {
    const outcome = await service.join({
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1web01prod',
      securityGroupId: 'sg-bp1app',
    });

    assert.equal(outcome.kind, 'joined', outcome.message);
    assert.equal(server.count('JoinSecurityGroup'), 1);
    const instance = server.state.instances.find((item) => item.instanceId === 'i-bp1web01prod');
    assert.ok(instance?.securityGroupIds.includes('sg-bp1app'));
    assert.match(outcome.message, /生产-web-01 \(i-bp1web01prod\)/);
    assert.match(outcome.message, /应用服务器 \(sg-bp1app\)/);
    if (outcome.kind === 'joined') {
      assert.match(outcome.requestId, /^[0-9A-F-]{36}$/);
    }
  });

  it('joins a stopped instance', async () => {
    const outcome = await service.join({
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1app01prod',
      securityGroupId: 'sg-bp1web',
    });
    assert.equal(outcome.kind, 'joined', outcome.message);
  });

  it('loads instance and groups in one call each', async () => {
    await service.join({
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1web01prod',
      securityGroupId: 'sg-bp1app',
    });
    assert.equal(server.count('DescribeInstances'), 1);
    assert.equal(server.count('DescribeSecurityGroups'), 1);
  });

  const refusals: Array<{
    name: string;
    instanceId: string;
    groupId: string;
    rule: string;
    mentions: RegExp[];
  }> = [
    {
      name: 'a Starting instance',
      instanceId: 'i-bp1starting01prod',
      groupId: 'sg-bp1web',
      rule: 'status',
      mentions: [/Starting/, /Running or Stopped/],
    },
    {
      name: 'a Pending instance',
      instanceId: 'i-bp1pending01prod',
      groupId: 'sg-bp1web',
      rule: 'status',
      mentions: [/Pending/],
    },
    {
      name: 'a Stopping instance',
      instanceId: 'i-bp1stopping01prod',
      groupId: 'sg-bp1web',
      rule: 'status',
      mentions: [/Stopping/],
    },
    {
      name: 'an instance in 5 groups',
      instanceId: 'i-bp1five01prod',
      groupId: 'sg-bp1cache',
      rule: 'instanceLimit',
      mentions: [/5 security groups/, /maxSecurityGroupsPerInstance/],
    },
    {
      name: 'a full group',
      instanceId: 'i-bp1web01prod',
      groupId: 'sg-bp1full',
      rule: 'groupFull',
      mentions: [/full/, /sg-bp1full/],
    },
    {
      name: 'a group in another region',
      instanceId: 'i-bp1web01prod',
      groupId: 'sg-uf6web',
      rule: 'region',
      mentions: [/cn-hangzhou/, /cn-shanghai/],
    },
    {
      name: 'a group in another VPC',
      instanceId: 'i-bp1web01prod',
      groupId: 'sg-bp1test',
      rule: 'vpc',
      mentions: [/vpc-bp1prod/, /vpc-bp1test/],
    },
    {
      name: 'a VPC instance and a classic group',
      instanceId: 'i-bp1web01prod',
      groupId: 'sg-bp1classic',
      rule: 'networkType',
      mentions: [/vpc/, /classic/],
    },
    {
      name: 'a classic instance and a VPC group',
      instanceId: 'i-bp1classic01',
      groupId: 'sg-bp1web',
      rule: 'networkType',
      mentions: [/classic/],
    },
    {
      name: 'an existing member',
      instanceId: 'i-bp1web01prod',
      groupId: 'sg-bp1web',
      rule: 'alreadyMember',
      mentions: [/already in/],
    },
    {
      name: 'a security lock',
      instanceId: 'i-bp1locked01prod',
      groupId: 'sg-bp1app',
      rule: 'securityLock',
      mentions: [/locked for security/],
    },
    {
      name: 'mixed group types',
      instanceId: 'i-bp1web01prod',
      groupId: 'sg-bp1ent',
      rule: 'groupType',
      mentions: [/enterprise/, /normal/],
    },
    {
      name: 'an unknown instance',
      instanceId: 'i-doesnotexist',
      groupId: 'sg-bp1web',
      rule: 'instanceNotFound',
      mentions: [/i-doesnotexist/, /not found/],
    },
    {
      name: 'an unknown group',
      instanceId: 'i-bp1web01prod',
      groupId: 'sg-doesnotexist',
      rule: 'groupNotFound',
      mentions: [/sg-doesnotexist/],
    },
  ];

  for (const testCase of refusals) {
    it(`refuses ${testCase.name} without sending`, async () => {
      const groupRegionId = testCase.groupId.startsWith('sg-uf6') ? 'cn-shanghai' : 'cn-hangzhou';
      const outcome = await service.join({
        regionId: 'cn-hangzhou',
        instanceId: testCase.instanceId,
        securityGroupId: testCase.groupId,
        groupRegionId,
      });

      const message = expectRefused(outcome, testCase.rule);
      assert.equal(server.count('JoinSecurityGroup'), 0);
      assert.ok(message.includes(testCase.instanceId), `message names the instance: ${message}`);
      assert.ok(message.includes(testCase.groupId), `message names the group: ${message}`);
      for (const pattern of testCase.mentions) {
        assert.match(message, pattern);
      }
    });
  }

  it('allows a sixth group when the limit setting is raised', async () => {
    groupLimit = 6;
    server.state.instances.find(
      (item) => item.instanceId === 'i-bp1five01prod',
    )!.maxSecurityGroups = 6;
    const outcome = await service.join({
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1five01prod',
      securityGroupId: 'sg-bp1cache',
    });
    assert.equal(outcome.kind, 'joined', outcome.message);
  });

  it('explains a refusal in Chinese', async () => {
    const chinese = new JoinService({
      gateway: harness.gateway,
      translate: createTranslator(ZH_BUNDLE),
      groupsPerInstance: () => 5,
    });
    const outcome = await chinese.join({
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1starting01prod',
      securityGroupId: 'sg-bp1web',
    });
    const message = expectRefused(outcome, 'status');
    assert.match(message, /必须处于运行中/);
    assert.match(message, /i-bp1starting01prod/);
  });

  it('reports an API error that the local checks could not foresee', async () => {
    server.failNext('JoinSecurityGroup', {
      code: 'SecurityGroupInstanceLimitExceeded',
      status: 403,
    });
    const outcome = await service.join({
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1web01prod',
      securityGroupId: 'sg-bp1app',
    });
    assert.equal(outcome.kind, 'failed');
    if (outcome.kind === 'failed') {
      assert.equal(outcome.error.code, 'SecurityGroupInstanceLimitExceeded');
      assert.equal(outcome.error.statusCode, 403);
      assert.match(outcome.error.requestId, /^[0-9A-F-]{36}$/);
      assert.match(outcome.message, /maximum number of instances/);
      assert.ok(outcome.message.includes(outcome.error.requestId));
    }
  });

  it('reports a failed lookup without sending the join', async () => {
    server.failNext('DescribeInstances', { code: 'Forbidden.RAM', status: 403 });
    const outcome = await service.join({
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1web01prod',
      securityGroupId: 'sg-bp1app',
    });
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.message, /not allowed/);
    assert.equal(server.count('JoinSecurityGroup'), 0);
  });

  it('logs each request with its RequestId', async () => {
    harness.records.length = 0;
    await service.join({
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1web01prod',
      securityGroupId: 'sg-bp1app',
    });
    const join = harness.records.find((record) => record.action === 'JoinSecurityGroup');
    assert.ok(join, 'a JoinSecurityGroup record');
    assert.equal(join.regionId, 'cn-hangzhou');
    assert.equal(join.resources.instance, 'i-bp1web01prod');
    assert.equal(join.resources.securityGroup, 'sg-bp1app');
    assert.match(join.requestId, /^[0-9A-F-]{36}$/);
    assert.ok(join.durationMs >= 0);
  });
});
