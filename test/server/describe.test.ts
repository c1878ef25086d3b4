import assert from 'node:assert/strict';

import type { EcsServer } from './ecsServer';
import { startEcsServer } from './ecsServer';
import type { EcsClient } from './testClient';
import { createClient, Ecs, expectApiError, FIXTURE_PATH } from './testClient';

const HANGZHOU_INSTANCES = 21;
const HANGZHOU_GROUPS = 16;

describe('ECS server Describe actions', () => {
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

  async function instancePage(fields: Partial<Ecs.DescribeInstancesRequest>) {
    const request = new Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', ...fields });
    const response = await client.describeInstances(request);
    return response.body ?? new Ecs.DescribeInstancesResponseBody({});
  }

  async function instanceIds(fields: Partial<Ecs.DescribeInstancesRequest>): Promise<string[]> {
    const body = await instancePage({ maxResults: 100, ...fields });
    return (body.instances?.instance ?? []).map((instance) => instance.instanceId ?? '');
  }

  describe('DescribeRegions', () => {
    it('returns Chinese names by default', async () => {
      const response = await client.describeRegions(new Ecs.DescribeRegionsRequest({}));
      const regions = response.body?.regions?.region ?? [];

      assert.deepEqual(
        regions.map((region) => region.regionId),
        ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'ap-southeast-1'],
      );
      assert.equal(regions[0].localName, '华东1（杭州）');
      assert.equal(regions[3].localName, '新加坡');
      assert.equal(regions[0].regionEndpoint, 'ecs-cn-hangzhou.aliyuncs.com');
      assert.equal(regions[1].regionEndpoint, 'ecs.cn-shanghai.aliyuncs.com');
      assert.equal(regions[0].status, 'available');
    });

    it('returns English names for en-US', async () => {
      const response = await client.describeRegions(
        new Ecs.DescribeRegionsRequest({ acceptLanguage: 'en-US' }),
      );
      const names = (response.body?.regions?.region ?? []).map((region) => region.localName);

      assert.deepEqual(names, [
        'China (Hangzhou)',
        'China (Shanghai)',
        'China (Beijing)',
        'Singapore',
      ]);
    });
  });

  describe('DescribeVpcs', () => {
    it('lists the VPCs of a region', async () => {
      const response = await client.describeVpcs(
        new Ecs.DescribeVpcsRequest({ regionId: 'cn-hangzhou' }),
      );
      const vpcs = response.body?.vpcs?.vpc ?? [];

      assert.equal(response.body?.totalCount, 3);
      assert.deepEqual(
        vpcs.map((vpc) => vpc.vpcName),
        ['生产网络-prod', 'test-vpc', '默认专有网络'],
      );
      assert.deepEqual(vpcs[0].vSwitchIds?.vSwitchId, ['vsw-bp1prodh', 'vsw-bp1prodi']);
      assert.deepEqual(vpcs[2].vSwitchIds?.vSwitchId, []);
      assert.equal(vpcs[2].isDefault, true);
    });

    it('pages with PageNumber and PageSize', async () => {
      const second = await client.describeVpcs(
        new Ecs.DescribeVpcsRequest({ regionId: 'cn-hangzhou', pageNumber: 2, pageSize: 2 }),
      );

      assert.equal(second.body?.totalCount, 3);
      assert.equal(second.body?.pageNumber, 2);
      assert.equal(second.body?.pageSize, 2);
      assert.deepEqual(
        second.body?.vpcs?.vpc?.map((vpc) => vpc.vpcId),
        ['vpc-bp1default'],
      );
    });

    it('rejects PageSize over 50', async () => {
      const request = new Ecs.DescribeVpcsRequest({ regionId: 'cn-hangzhou', pageSize: 51 });
      await expectApiError(client.describeVpcs(request), 'InvalidParameter', 400);
    });

    it('rejects a missing RegionId', async () => {
      const request = new Ecs.DescribeVpcsRequest({});
      await expectApiError(client.describeVpcs(request), 'MissingParameter.RegionId', 400);
    });
  });

  describe('DescribeInstances', () => {
    it('rejects a missing RegionId', async () => {
      const request = new Ecs.DescribeInstancesRequest({});
      await expectApiError(client.describeInstances(request), 'MissingParameter.RegionId', 400);
    });

    it('rejects an unknown region', async () => {
      const request = new Ecs.DescribeInstancesRequest({ regionId: 'cn-nowhere' });
      await expectApiError(client.describeInstances(request), 'InvalidRegionId.NotFound', 404);
    });

    it('pages every instance exactly once', async () => {
      const seen: string[] = [];
      const tokens: string[] = [];
      let nextToken: string | undefined;
      do {
        const body = await instancePage({ maxResults: 10, nextToken });
        seen.push(...(body.instances?.instance ?? []).map((instance) => instance.instanceId ?? ''));
        nextToken = body.nextToken || undefined;
        tokens.push(body.nextToken ?? '');
      } while (nextToken !== undefined && tokens.length < 10);

      assert.equal(tokens.length, 3);
      assert.equal(tokens[2], '');
      assert.equal(seen.length, HANGZHOU_INSTANCES);
      assert.equal(new Set(seen).size, HANGZHOU_INSTANCES);
      assert.equal(server.count('DescribeInstances'), 3);
    });

    it('clamps MaxResults to 10..100', async () => {
      const small = await instancePage({ maxResults: 3 });
      const large = await instancePage({ maxResults: 500 });

      assert.equal(small.instances?.instance?.length, 10);
      assert.equal(small.pageSize, 10);
      assert.equal(large.instances?.instance?.length, HANGZHOU_INSTANCES);
      assert.equal(large.nextToken, '');
    });

    it('pages with legacy PageNumber and PageSize', async () => {
      const third = await instancePage({ pageNumber: 3, pageSize: 10 });

      assert.equal(third.totalCount, HANGZHOU_INSTANCES);
      assert.equal(third.pageNumber, 3);
      assert.equal(third.instances?.instance?.length, 1);
    });

    it('rejects an invalid NextToken', async () => {
      const request = new Ecs.DescribeInstancesRequest({
        regionId: 'cn-hangzhou',
        nextToken: 'not-a-token',
      });
      await expectApiError(client.describeInstances(request), 'InvalidNextToken', 400);
    });

    it('rejects a token of another action', async () => {
      const groups = await client.describeSecurityGroups(
        new Ecs.DescribeSecurityGroupsRequest({ regionId: 'cn-hangzhou', maxResults: 10 }),
      );
      const request = new Ecs.DescribeInstancesRequest({
        regionId: 'cn-hangzhou',
        nextToken: groups.body?.nextToken,
      });

      await expectApiError(client.describeInstances(request), 'InvalidNextToken', 400);
    });

    it('filters by InstanceIds', async () => {
      const ids = await instanceIds({
        instanceIds: JSON.stringify(['i-bp1web01prod', 'i-bp1classic01', 'i-uf6web01']),
      });

      assert.deepEqual(ids, ['i-bp1web01prod', 'i-bp1classic01']);
    });

    it('returns nothing for empty InstanceIds', async () => {
      assert.deepEqual(await instanceIds({ instanceIds: '[]' }), []);
    });

    it('rejects more than 100 InstanceIds', async () => {
      const many = Array.from({ length: 101 }, (_, index) => `i-bp1many${index}`);
      const request = new Ecs.DescribeInstancesRequest({
        regionId: 'cn-hangzhou',
        instanceIds: JSON.stringify(many),
      });

      await expectApiError(client.describeInstances(request), 'InvalidParameter', 400);
    });

    it('rejects InstanceIds that are not JSON', async () => {
      const request = new Ecs.DescribeInstancesRequest({
        regionId: 'cn-hangzhou',
        instanceIds: 'i-bp1web01prod',
      });

      await expectApiError(client.describeInstances(request), 'InvalidInstanceIds.Malformed', 400);
    });

    it('matches InstanceName with a wildcard', async () => {
      assert.deepEqual(await instanceIds({ instanceName: '生产*' }), [
        'i-bp1web01prod',
        'i-bp1web02prod',
        'i-bp1db01prod',
      ]);
      assert.deepEqual(await instanceIds({ instanceName: '*worker-0*' }), [
        'i-bp1batch01prod',
        'i-bp1worker01',
        'i-bp1worker02',
        'i-bp1worker03',
        'i-bp1worker04',
        'i-bp1worker05',
        'i-bp1worker06',
        'i-bp1worker07',
      ]);
      assert.deepEqual(await instanceIds({ instanceName: '测试数据库' }), ['i-bp1test01']);
    });

    it('filters by Status', async () => {
      assert.deepEqual(await instanceIds({ status: 'Pending' }), ['i-bp1pending01prod']);
      assert.deepEqual(await instanceIds({ status: 'Starting' }), ['i-bp1starting01prod']);
      assert.deepEqual(await instanceIds({ status: 'Stopping' }), ['i-bp1stopping01prod']);
      assert.equal((await instanceIds({ status: 'Stopped' })).length, 5);
    });

    it('rejects an unknown Status', async () => {
      const request = new Ecs.DescribeInstancesRequest({
        regionId: 'cn-hangzhou',
        status: 'Sleeping',
      });
      await expectApiError(client.describeInstances(request), 'InvalidParameter', 400);
    });

    it('filters by VpcId and network type', async () => {
      const testVpc = await instanceIds({ vpcId: 'vpc-bp1test' });
      const classic = await instanceIds({ instanceNetworkType: 'classic' });

      assert.equal(testVpc.length, 8);
      assert.ok(testVpc.includes('i-bp1test01'));
      assert.deepEqual(classic, ['i-bp1classic01']);
    });

    it('filters by SecurityGroupId', async () => {
      assert.deepEqual(await instanceIds({ securityGroupId: 'sg-bp1full' }), [
        'i-bp1db01prod',
        'i-bp1batch01prod',
      ]);
    });

    it('filters by private and public IPs', async () => {
      const byPrivate = await instanceIds({
        privateIpAddresses: JSON.stringify(['172.16.1.11', '10.80.1.14']),
      });
      const byEip = await instanceIds({ publicIpAddresses: JSON.stringify(['47.96.10.11']) });
      const byPublic = await instanceIds({ publicIpAddresses: JSON.stringify(['47.96.10.12']) });

      assert.deepEqual(byPrivate, ['i-bp1web01prod', 'i-bp1classic01']);
      assert.deepEqual(byEip, ['i-bp1web01prod']);
      assert.deepEqual(byPublic, ['i-bp1web02prod']);
    });

    it('filters by tags', async () => {
      const tag = (key: string, value?: string) =>
        new Ecs.DescribeInstancesRequestTag({ key, value });

      assert.deepEqual(await instanceIds({ tag: [tag('env', 'prod'), tag('app', 'web')] }), [
        'i-bp1web01prod',
        'i-bp1web02prod',
      ]);
      assert.equal((await instanceIds({ tag: [tag('env')] })).length, 12);
      assert.deepEqual(await instanceIds({ tag: [tag('env', 'staging')] }), []);
    });

    it('renders a VPC instance', async () => {
      const body = await instancePage({ instanceIds: JSON.stringify(['i-bp1web01prod']) });
      const instance = body.instances?.instance?.[0];

      assert.ok(instance);
      assert.equal(instance.instanceName, '生产-web-01');
      assert.equal(instance.status, 'Running');
      assert.equal(instance.instanceNetworkType, 'vpc');
      assert.equal(instance.vpcAttributes?.vpcId, 'vpc-bp1prod');
      assert.deepEqual(instance.vpcAttributes?.privateIpAddress?.ipAddress, ['172.16.1.11']);
      assert.deepEqual(instance.securityGroupIds?.securityGroupId, ['sg-bp1web', 'sg-bp1ssh']);
      assert.equal(instance.eipAddress?.ipAddress, '47.96.10.11');
      assert.deepEqual(instance.operationLocks?.lockReason, []);
      assert.deepEqual(
        instance.networkInterfaces?.networkInterface?.map((eni) => [
          eni.networkInterfaceId,
          eni.type,
        ]),
        [
          ['eni-bp1web01prod', 'Primary'],
          ['eni-bp1web01sec', 'Secondary'],
        ],
      );
    });

    it('renders a classic instance with empty lists', async () => {
      const body = await instancePage({ instanceIds: JSON.stringify(['i-bp1classic01']) });
      const instance = body.instances?.instance?.[0];

      assert.ok(instance);
      assert.equal(instance.instanceNetworkType, 'classic');
      assert.equal(instance.vpcAttributes?.vpcId, '');
      assert.deepEqual(instance.vpcAttributes?.privateIpAddress?.ipAddress, []);
      assert.deepEqual(instance.innerIpAddress?.ipAddress, ['10.80.1.14']);
      assert.deepEqual(instance.networkInterfaces?.networkInterface, []);
      assert.deepEqual(instance.tags?.tag, []);
    });

    it('renders a security lock', async () => {
      const body = await instancePage({ lockReason: 'security' });
      const instances = body.instances?.instance ?? [];

      assert.deepEqual(
        instances.map((instance) => instance.instanceId),
        ['i-bp1locked01prod'],
      );
      assert.equal(instances[0].operationLocks?.lockReason?.[0].lockReason, 'security');
    });
  });

  describe('DescribeSecurityGroups', () => {
    async function groupPage(fields: Partial<Ecs.DescribeSecurityGroupsRequest>) {
      const request = new Ecs.DescribeSecurityGroupsRequest({ regionId: 'cn-hangzhou', ...fields });
      const response = await client.describeSecurityGroups(request);
      return response.body ?? new Ecs.DescribeSecurityGroupsResponseBody({});
    }

    async function groupIds(fields: Partial<Ecs.DescribeSecurityGroupsRequest>) {
      const body = await groupPage({ maxResults: 100, ...fields });
      return (body.securityGroups?.securityGroup ?? []).map((group) => group.securityGroupId);
    }

    it('pages every group once in descending order', async () => {
      const seen: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const body = await groupPage({ maxResults: 10, nextToken });
        seen.push(
          ...(body.securityGroups?.securityGroup ?? []).map((g) => g.securityGroupId ?? ''),
        );
        assert.equal(body.totalCount, undefined);
        nextToken = body.nextToken || undefined;
        pages += 1;
      } while (nextToken !== undefined && pages < 10);

      assert.equal(pages, 2);
      assert.equal(seen.length, HANGZHOU_GROUPS);
      assert.deepEqual(seen, [...seen].sort().reverse());
    });

    it('reports TotalCount in page mode', async () => {
      const body = await groupPage({ pageSize: 5 });

      assert.equal(body.totalCount, HANGZHOU_GROUPS);
      assert.equal(body.securityGroups?.securityGroup?.length, 5);
    });

    it('rejects MaxResults over 100', async () => {
      const request = new Ecs.DescribeSecurityGroupsRequest({
        regionId: 'cn-hangzhou',
        maxResults: 101,
      });
      await expectApiError(client.describeSecurityGroups(request), 'InvalidParameter', 400);
    });

    it('reports member counts and capacity', async () => {
      const body = await groupPage({
        securityGroupIds: JSON.stringify(['sg-bp1web', 'sg-bp1nearfull', 'sg-bp1full']),
      });
      const byId = new Map(
        (body.securityGroups?.securityGroup ?? []).map((group) => [group.securityGroupId, group]),
      );

      assert.equal(byId.size, 3);
      assert.equal(byId.get('sg-bp1web')?.ecsCount, 5);
      assert.equal(byId.get('sg-bp1web')?.availableInstanceAmount, 994);
      assert.equal(byId.get('sg-bp1nearfull')?.ecsCount, 2);
      assert.equal(byId.get('sg-bp1nearfull')?.availableInstanceAmount, 1);
      assert.equal(byId.get('sg-bp1full')?.availableInstanceAmount, 0);
      assert.equal(byId.get('sg-bp1web')?.ruleCount, 3);
      assert.deepEqual(
        byId.get('sg-bp1web')?.tags?.tag?.map((tag) => tag.tagKey),
        ['env'],
      );
    });

    it('filters by VpcId, type and network type', async () => {
      assert.deepEqual(await groupIds({ vpcId: 'vpc-bp1test' }), ['sg-bp1testalt', 'sg-bp1test']);
      assert.deepEqual(await groupIds({ securityGroupType: 'enterprise' }), [
        'sg-bp1ent2',
        'sg-bp1ent',
      ]);
      assert.deepEqual(await groupIds({ networkType: 'classic' }), [
        'sg-bp1classicalt',
        'sg-bp1classic',
      ]);
      assert.deepEqual(await groupIds({ securityGroupName: '应用服务器' }), ['sg-bp1app']);
      assert.deepEqual(await groupIds({ securityGroupId: 'sg-uf6web' }), []);
    });

    it('renders a classic group with empty VpcId', async () => {
      const body = await groupPage({ securityGroupId: 'sg-bp1classic' });
      const group = body.securityGroups?.securityGroup?.[0];

      assert.equal(group?.vpcId, '');
      assert.equal(group?.securityGroupType, 'normal');
    });
  });

  describe('DescribeSecurityGroupAttribute', () => {
    function attribute(securityGroupId: string, direction?: string) {
      return client.describeSecurityGroupAttribute(
        new Ecs.DescribeSecurityGroupAttributeRequest({
          regionId: 'cn-hangzhou',
          securityGroupId,
          direction,
        }),
      );
    }

    it('returns the rules of a group', async () => {
      const response = await attribute('sg-bp1db');
      const rule = response.body?.permissions?.permission?.[0];

      assert.equal(response.body?.securityGroupName, '数据库-生产');
      assert.equal(response.body?.vpcId, 'vpc-bp1prod');
      assert.equal(rule?.portRange, '3306/3306');
      assert.equal(rule?.sourceGroupId, 'sg-bp1app');
      assert.equal(rule?.sourceGroupName, '应用服务器');
      assert.equal(rule?.priority, '1');
    });

    it('filters rules by direction', async () => {
      const ingress = await attribute('sg-bp1web', 'ingress');
      const egress = await attribute('sg-bp1web', 'egress');

      assert.equal(ingress.body?.permissions?.permission?.length, 2);
      assert.equal(egress.body?.permissions?.permission?.length, 1);
    });

    it('rejects a group of another region', async () => {
      await expectApiError(attribute('sg-uf6web'), 'InvalidSecurityGroupId.NotFound', 404);
    });
  });

  describe('DescribeNetworkInterfaces', () => {
    async function eniIds(fields: Partial<Ecs.DescribeNetworkInterfacesRequest>) {
      const response = await client.describeNetworkInterfaces(
        new Ecs.DescribeNetworkInterfacesRequest({
          regionId: 'cn-hangzhou',
          maxResults: 500,
          ...fields,
        }),
      );
      return (response.body?.networkInterfaceSets?.networkInterfaceSet ?? []).map(
        (eni) => eni.networkInterfaceId,
      );
    }

    it('lists the ENIs of an instance', async () => {
      const response = await client.describeNetworkInterfaces(
        new Ecs.DescribeNetworkInterfacesRequest({
          regionId: 'cn-hangzhou',
          instanceId: 'i-bp1web01prod',
        }),
      );
      const enis = response.body?.networkInterfaceSets?.networkInterfaceSet ?? [];

      assert.deepEqual(
        enis.map((eni) => [eni.networkInterfaceId, eni.type, eni.status]),
        [
          ['eni-bp1web01prod', 'Primary', 'InUse'],
          ['eni-bp1web01sec', 'Secondary', 'InUse'],
        ],
      );
      assert.deepEqual(enis[0].securityGroupIds?.securityGroupId, ['sg-bp1web', 'sg-bp1ssh']);
      assert.deepEqual(enis[1].securityGroupIds?.securityGroupId, ['sg-bp1web']);
      assert.equal(enis[1].attachment?.instanceId, 'i-bp1web01prod');
    });

    it('filters by ID, type and group', async () => {
      assert.deepEqual(
        await eniIds({ networkInterfaceId: ['eni-bp1free01', 'eni-bp1five01prod'] }),
        ['eni-bp1five01prod', 'eni-bp1free01'],
      );
      assert.deepEqual(await eniIds({ type: 'Secondary' }), ['eni-bp1web01sec', 'eni-bp1free01']);
      assert.deepEqual(await eniIds({ securityGroupId: 'sg-bp1app' }), ['eni-bp1free01']);
      assert.deepEqual(await eniIds({ status: 'Available' }), ['eni-bp1free01']);
    });

    it('pages every ENI exactly once', async () => {
      const seen: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const response = await client.describeNetworkInterfaces(
          new Ecs.DescribeNetworkInterfacesRequest({
            regionId: 'cn-hangzhou',
            maxResults: 1,
            nextToken,
          }),
        );
        const body = response.body;
        seen.push(
          ...(body?.networkInterfaceSets?.networkInterfaceSet ?? []).map(
            (e) => e.networkInterfaceId ?? '',
          ),
        );
        nextToken = body?.nextToken || undefined;
        pages += 1;
      } while (nextToken !== undefined && pages < 10);

      // 20 VPC instances have a primary ENI, and 2 ENIs are secondary. MaxResults 1 is raised to 10.
      assert.equal(pages, 3);
      assert.equal(seen.length, 22);
      assert.equal(new Set(seen).size, 22);
    });
  });

  describe('DescribeAccountAttributes', () => {
    it('returns the requested attributes', async () => {
      const response = await client.describeAccountAttributes(
        new Ecs.DescribeAccountAttributesRequest({
          regionId: 'cn-hangzhou',
          attributeName: ['max-security-groups', 'instance-network-type'],
        }),
      );
      const items = response.body?.accountAttributeItems?.accountAttributeItem ?? [];

      assert.deepEqual(
        items.map((item) => item.attributeName),
        ['max-security-groups', 'instance-network-type'],
      );
      assert.deepEqual(
        items[1].attributeValues?.valueItem?.map((value) => value.value),
        ['vpc', 'classic'],
      );
    });
  });
});
