import assert from 'node:assert/strict';

import type { EcsServer } from './ecsServer';
import { startEcsServer } from './ecsServer';
import type { EcsClient } from './testClient';
import { createClient, Ecs, expectApiError, FIXTURE_PATH } from './testClient';

interface RuleCase {
  name: string;
  request: Partial<Ecs.JoinSecurityGroupRequest>;
  code: string;
  status: number;
}

/** JoinSecurityGroup rejections that the fixture provokes, with their codes and HTTP statuses. */
const JOIN_REJECTIONS: RuleCase[] = [
  {
    name: 'unknown instance',
    request: { instanceId: 'i-bp1nosuch', securityGroupId: 'sg-bp1spare' },
    code: 'InvalidInstanceId.NotFound',
    status: 404,
  },
  {
    name: 'instance outside RegionId',
    request: {
      instanceId: 'i-bp1web01prod',
      securityGroupId: 'sg-uf6web',
      regionId: 'cn-shanghai',
    },
    code: 'InvalidInstanceId.NotFound',
    status: 404,
  },
  {
    name: 'unknown ENI',
    request: {
      networkInterfaceId: 'eni-bp1nosuch',
      securityGroupId: 'sg-bp1spare',
      regionId: 'cn-hangzhou',
    },
    code: 'InvalidEniId.NotFound',
    status: 404,
  },
  {
    name: 'unknown group',
    request: { instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1nosuch' },
    code: 'InvalidSecurityGroupId.NotFound',
    status: 404,
  },
  {
    name: 'group in another region',
    request: { instanceId: 'i-bp1web01prod', securityGroupId: 'sg-uf6web' },
    code: 'InvalidSecurityGroupId.NotFound',
    status: 404,
  },
  {
    name: 'security-locked instance',
    request: { instanceId: 'i-bp1locked01prod', securityGroupId: 'sg-bp1spare' },
    code: 'InstanceLockedForSecurity',
    status: 403,
  },
  {
    name: 'Pending instance',
    request: { instanceId: 'i-bp1pending01prod', securityGroupId: 'sg-bp1spare' },
    code: 'IncorrectInstanceStatus',
    status: 403,
  },
  {
    name: 'Starting instance',
    request: { instanceId: 'i-bp1starting01prod', securityGroupId: 'sg-bp1spare' },
    code: 'IncorrectInstanceStatus',
    status: 403,
  },
  {
    name: 'Stopping instance',
    request: { instanceId: 'i-bp1stopping01prod', securityGroupId: 'sg-bp1spare' },
    code: 'IncorrectInstanceStatus',
    status: 403,
  },
  {
    name: 'existing member',
    request: { instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1web' },
    code: 'InvalidInstanceId.AlreadyExists',
    status: 403,
  },
  {
    name: 'group in another VPC',
    request: { instanceId: 'i-bp1test01', securityGroupId: 'sg-bp1web' },
    code: 'InvalidInstanceId.Mismatch',
    status: 400,
  },
  {
    name: 'classic instance, VPC group',
    request: { instanceId: 'i-bp1classic01', securityGroupId: 'sg-bp1web' },
    code: 'InvalidInstanceId.Mismatch',
    status: 400,
  },
  {
    name: 'VPC instance, classic group',
    request: { instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1classic' },
    code: 'InvalidInstanceId.Mismatch',
    status: 400,
  },
  {
    name: 'enterprise instance, normal group',
    request: { instanceId: 'i-bp1ent01prod', securityGroupId: 'sg-bp1web' },
    code: 'InvalidOperation.MultiGroupType',
    status: 400,
  },
  {
    name: 'normal instance, enterprise group',
    request: { instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1ent' },
    code: 'InvalidOperation.MultiGroupType',
    status: 400,
  },
  {
    name: 'instance at 5 groups',
    request: { instanceId: 'i-bp1five01prod', securityGroupId: 'sg-bp1spare' },
    code: 'InstanceSecurityGroupLimitExceeded',
    status: 400,
  },
  {
    name: 'full group',
    request: { instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1full' },
    code: 'SecurityGroupInstanceLimitExceeded',
    status: 403,
  },
  {
    name: 'InstanceId with NetworkInterfaceId',
    request: {
      instanceId: 'i-bp1web01prod',
      networkInterfaceId: 'eni-bp1web01sec',
      securityGroupId: 'sg-bp1spare',
      regionId: 'cn-hangzhou',
    },
    code: 'InvalidParam.EniIdAndInstanceId.Conflict',
    status: 403,
  },
  {
    name: 'ENI without RegionId',
    request: { networkInterfaceId: 'eni-bp1web01sec', securityGroupId: 'sg-bp1spare' },
    code: 'MissingParameter.RegionId',
    status: 400,
  },
  {
    name: 'missing SecurityGroupId',
    request: { instanceId: 'i-bp1web01prod' },
    code: 'MissingParameter.SecurityGroupId',
    status: 400,
  },
  {
    name: 'missing InstanceId',
    request: { securityGroupId: 'sg-bp1spare' },
    code: 'MissingParameter.InstanceId',
    status: 400,
  },
];

describe('ECS server JoinSecurityGroup and LeaveSecurityGroup', () => {
  let server: EcsServer;
  let client: EcsClient;

  before(async () => {
    server = await startEcsServer({ fixture: FIXTURE_PATH });
    client = createClient(server);
  });

  after(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.reset();
    server.resetRequests();
  });

  function join(request: Partial<Ecs.JoinSecurityGroupRequest>) {
    return client.joinSecurityGroup(new Ecs.JoinSecurityGroupRequest(request));
  }

  function leave(request: Partial<Ecs.LeaveSecurityGroupRequest>) {
    return client.leaveSecurityGroup(new Ecs.LeaveSecurityGroupRequest(request));
  }

  function groupsOf(instanceId: string): string[] {
    const instance = server.state.instances.find((item) => item.instanceId === instanceId);
    assert.ok(instance, `fixture instance ${instanceId} is missing`);
    return instance.securityGroupIds;
  }

  function eniGroupsOf(networkInterfaceId: string): string[] {
    const eni = server.state.networkInterfaces.find(
      (item) => item.networkInterfaceId === networkInterfaceId,
    );
    assert.ok(eni, `fixture ENI ${networkInterfaceId} is missing`);
    return eni.securityGroupIds;
  }

  async function ecsCount(securityGroupId: string): Promise<number | undefined> {
    const response = await client.describeSecurityGroups(
      new Ecs.DescribeSecurityGroupsRequest({ regionId: 'cn-hangzhou', securityGroupId }),
    );
    return response.body?.securityGroups?.securityGroup?.[0].ecsCount;
  }

  describe('Join rejections', () => {
    for (const rule of JOIN_REJECTIONS) {
      it(`rejects ${rule.name}`, async () => {
        const before = JSON.stringify(server.state);

        const error = await expectApiError(join(rule.request), rule.code, rule.status);

        assert.equal(error.data?.Code, rule.code);
        assert.equal(typeof error.data?.Recommend, 'string');
        assert.equal(JSON.stringify(server.state), before, 'a rejected join changed the state');
        assert.equal(server.requests[0].code, rule.code);
      });
    }
  });

  describe('Join successes', () => {
    it('adds the group to the instance', async () => {
      const countBefore = await ecsCount('sg-bp1spare');

      const response = await join({ instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1spare' });

      assert.equal(response.statusCode, 200);
      assert.match(response.body?.requestId ?? '', /^[0-9A-F-]{36}$/);
      assert.deepEqual(groupsOf('i-bp1web01prod'), ['sg-bp1web', 'sg-bp1ssh', 'sg-bp1spare']);
      assert.equal(countBefore, 0);
      assert.equal(await ecsCount('sg-bp1spare'), 1);
    });

    it('accepts a matching RegionId', async () => {
      await join({
        instanceId: 'i-uf6web01',
        securityGroupId: 'sg-uf6db',
        regionId: 'cn-shanghai',
      });

      assert.deepEqual(groupsOf('i-uf6web01'), ['sg-uf6web', 'sg-uf6db']);
    });

    it('allows a Stopped instance', async () => {
      await join({ instanceId: 'i-bp1app01prod', securityGroupId: 'sg-bp1spare' });

      assert.ok(groupsOf('i-bp1app01prod').includes('sg-bp1spare'));
    });

    it('ignores a financial lock', async () => {
      await join({ instanceId: 'i-bp1finlock01prod', securityGroupId: 'sg-bp1spare' });

      assert.ok(groupsOf('i-bp1finlock01prod').includes('sg-bp1spare'));
    });

    it('joins enterprise to enterprise', async () => {
      await join({ instanceId: 'i-bp1ent01prod', securityGroupId: 'sg-bp1ent2' });

      assert.deepEqual(groupsOf('i-bp1ent01prod'), ['sg-bp1ent', 'sg-bp1ent2']);
    });

    it('joins classic to classic', async () => {
      await join({ instanceId: 'i-bp1classic01', securityGroupId: 'sg-bp1classicalt' });

      assert.deepEqual(groupsOf('i-bp1classic01'), ['sg-bp1classic', 'sg-bp1classicalt']);
    });

    it('fills a near-full group', async () => {
      await join({ instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1nearfull' });

      await expectApiError(
        join({ instanceId: 'i-bp1db01prod', securityGroupId: 'sg-bp1nearfull' }),
        'SecurityGroupInstanceLimitExceeded',
        403,
      );
      assert.equal(await ecsCount('sg-bp1nearfull'), 3);
    });

    it('reaches the limit after the fifth', async () => {
      await join({ instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1app' });
      await join({ instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1db' });
      await join({ instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1monitor' });

      await expectApiError(
        join({ instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1spare' }),
        'InstanceSecurityGroupLimitExceeded',
        400,
      );
      assert.equal(groupsOf('i-bp1web01prod').length, 5);
    });

    it('uses a raised maxSecurityGroups', async () => {
      const instance = server.state.instances.find((item) => item.instanceId === 'i-bp1five01prod');
      assert.ok(instance);
      instance.maxSecurityGroups = 6;

      await join({ instanceId: 'i-bp1five01prod', securityGroupId: 'sg-bp1spare' });

      assert.equal(groupsOf('i-bp1five01prod').length, 6);
    });
  });

  describe('Join through an ENI', () => {
    it('changes only the secondary ENI', async () => {
      await join({
        networkInterfaceId: 'eni-bp1web01sec',
        securityGroupId: 'sg-bp1app',
        regionId: 'cn-hangzhou',
      });

      assert.deepEqual(eniGroupsOf('eni-bp1web01sec'), ['sg-bp1web', 'sg-bp1app']);
      assert.deepEqual(groupsOf('i-bp1web01prod'), ['sg-bp1web', 'sg-bp1ssh']);
    });

    it('changes the instance through its primary ENI', async () => {
      await join({
        networkInterfaceId: 'eni-bp1web01prod',
        securityGroupId: 'sg-bp1app',
        regionId: 'cn-hangzhou',
      });

      assert.deepEqual(groupsOf('i-bp1web01prod'), ['sg-bp1web', 'sg-bp1ssh', 'sg-bp1app']);
    });

    it('counts the ENI groups, not the instance groups', async () => {
      const eni = server.state.networkInterfaces.find(
        (item) => item.networkInterfaceId === 'eni-bp1web01sec',
      );
      assert.ok(eni);
      eni.maxSecurityGroups = 1;

      await expectApiError(
        join({
          networkInterfaceId: 'eni-bp1web01sec',
          securityGroupId: 'sg-bp1app',
          regionId: 'cn-hangzhou',
        }),
        'InstanceSecurityGroupLimitExceeded',
        400,
      );
    });

    it('rejects a member ENI', async () => {
      await expectApiError(
        join({
          networkInterfaceId: 'eni-bp1web01sec',
          securityGroupId: 'sg-bp1web',
          regionId: 'cn-hangzhou',
        }),
        'InvalidInstanceId.AlreadyExists',
        403,
      );
    });

    it('joins a detached ENI', async () => {
      await join({
        networkInterfaceId: 'eni-bp1free01',
        securityGroupId: 'sg-bp1spare',
        regionId: 'cn-hangzhou',
      });

      assert.deepEqual(eniGroupsOf('eni-bp1free01'), ['sg-bp1app', 'sg-bp1spare']);
    });

    it('rejects an ENI outside RegionId', async () => {
      await expectApiError(
        join({
          networkInterfaceId: 'eni-bp1web01sec',
          securityGroupId: 'sg-uf6web',
          regionId: 'cn-shanghai',
        }),
        'InvalidEniId.NotFound',
        404,
      );
    });
  });

  describe('Leave', () => {
    it('removes the group from the instance', async () => {
      const response = await leave({ instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1ssh' });

      assert.equal(response.statusCode, 200);
      assert.deepEqual(groupsOf('i-bp1web01prod'), ['sg-bp1web']);
      assert.equal(await ecsCount('sg-bp1ssh'), 2);
    });

    it('rejects a group the instance is not in', async () => {
      await expectApiError(
        leave({ instanceId: 'i-bp1web01prod', securityGroupId: 'sg-bp1db' }),
        'InvalidSecurityGroupAssociation.NotFound',
        400,
      );
    });

    it('rejects the last group', async () => {
      await expectApiError(
        leave({ instanceId: 'i-bp1ent01prod', securityGroupId: 'sg-bp1ent' }),
        'InstanceLastSecurityGroup',
        403,
      );
      assert.deepEqual(groupsOf('i-bp1ent01prod'), ['sg-bp1ent']);
    });

    it('rejects a security-locked instance', async () => {
      await expectApiError(
        leave({ instanceId: 'i-bp1locked01prod', securityGroupId: 'sg-bp1web' }),
        'InstanceLockedForSecurity',
        403,
      );
    });

    it('rejects a Stopping instance', async () => {
      await expectApiError(
        leave({ instanceId: 'i-bp1stopping01prod', securityGroupId: 'sg-bp1app' }),
        'IncorrectInstanceStatus',
        403,
      );
    });

    it('rejects an unknown group', async () => {
      await expectApiError(
        leave({ instanceId: 'i-bp1web01prod', securityGroupId: 'sg-uf6web' }),
        'InvalidSecurityGroupId.NotFound',
        404,
      );
    });

    it('leaves through a secondary ENI', async () => {
      await join({
        networkInterfaceId: 'eni-bp1web01sec',
        securityGroupId: 'sg-bp1app',
        regionId: 'cn-hangzhou',
      });

      await leave({
        networkInterfaceId: 'eni-bp1web01sec',
        securityGroupId: 'sg-bp1web',
        regionId: 'cn-hangzhou',
      });

      assert.deepEqual(eniGroupsOf('eni-bp1web01sec'), ['sg-bp1app']);
    });

    it('rejects the last ENI group', async () => {
      await expectApiError(
        leave({
          networkInterfaceId: 'eni-bp1web01sec',
          securityGroupId: 'sg-bp1web',
          regionId: 'cn-hangzhou',
        }),
        'InstanceLastSecurityGroup',
        403,
      );
    });

    it('rejects InstanceId with NetworkInterfaceId', async () => {
      await expectApiError(
        leave({
          instanceId: 'i-bp1web01prod',
          networkInterfaceId: 'eni-bp1web01sec',
          securityGroupId: 'sg-bp1web',
          regionId: 'cn-hangzhou',
        }),
        'InvalidParam.EniIdAndInstanceId.Conflict',
        403,
      );
    });
  });
});
