import type { FixtureInstance, InstanceStatus } from '../fixtureTypes';
import type { ActionContext } from '../model';
import { matchesWildcard, primaryNetworkInterfaceId, requireRegion } from '../model';
import { matchesTags, renderTags } from '../params';
import { paginate, readPageWindow } from '../paging';

const STATUSES: readonly InstanceStatus[] = [
  'Pending',
  'Starting',
  'Running',
  'Stopping',
  'Stopped',
];

/** Builds a MAC address from the instance ID so that it stays the same across runs. */
export function derivedMacAddress(seed: string): string {
  let hash = 0;
  for (const char of seed) {
    hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  }
  const bytes = [0x00, 0x16, 0x3e, (hash >>> 16) & 0xff, (hash >>> 8) & 0xff, hash & 0xff];
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

function renderNetworkInterfaces(instance: FixtureInstance, context: ActionContext) {
  const primaryId = primaryNetworkInterfaceId(instance);
  if (primaryId === undefined) {
    return [];
  }
  const primaryIp = instance.privateIpAddress ?? '';
  const primary = {
    NetworkInterfaceId: primaryId,
    Type: 'Primary',
    MacAddress: instance.macAddress ?? derivedMacAddress(instance.instanceId),
    PrimaryIpAddress: primaryIp,
    PrivateIpSets: { PrivateIpSet: [{ PrivateIpAddress: primaryIp, Primary: true }] },
  };
  const secondary = context.state.networkInterfaces
    .filter((eni) => eni.instanceId === instance.instanceId)
    .map((eni) => ({
      NetworkInterfaceId: eni.networkInterfaceId,
      Type: 'Secondary',
      MacAddress: eni.macAddress ?? derivedMacAddress(eni.networkInterfaceId),
      PrimaryIpAddress: eni.privateIpAddress,
      PrivateIpSets: { PrivateIpSet: [{ PrivateIpAddress: eni.privateIpAddress, Primary: true }] },
    }));
  return [primary, ...secondary];
}

/** Renders one instance in the DescribeInstances `Instances.Instance[]` shape. */
export function renderInstance(instance: FixtureInstance, context: ActionContext) {
  const isVpc = instance.instanceNetworkType === 'vpc';
  const creationTime = instance.creationTime ?? '2024-01-01T00:00Z';
  return {
    InstanceId: instance.instanceId,
    InstanceName: instance.instanceName,
    Description: instance.description ?? '',
    RegionId: instance.regionId,
    ZoneId: instance.zoneId,
    Status: instance.status,
    InstanceType: instance.instanceType ?? 'ecs.g7.large',
    Cpu: instance.cpu ?? 2,
    Memory: instance.memory ?? 8192,
    InstanceNetworkType: instance.instanceNetworkType,
    CreationTime: creationTime,
    StartTime: instance.status === 'Pending' ? '' : creationTime,
    ExpiredTime: '2099-12-31T15:59Z',
    OSType: instance.osType ?? 'linux',
    OSName: instance.osName ?? 'Alibaba Cloud Linux 3.2104 LTS 64位',
    ImageId: instance.imageId ?? 'aliyun_3_x64_20G_alibase_20240819.vhd',
    HostName: instance.hostName ?? instance.instanceId,
    InstanceChargeType: instance.instanceChargeType ?? 'PostPaid',
    ResourceGroupId: instance.resourceGroupId ?? '',
    DeletionProtection: false,
    SecurityGroupIds: { SecurityGroupId: [...instance.securityGroupIds] },
    VpcAttributes: {
      VpcId: isVpc ? (instance.vpcId ?? '') : '',
      VSwitchId: isVpc ? (instance.vSwitchId ?? '') : '',
      NatIpAddress: '',
      PrivateIpAddress: {
        IpAddress: isVpc && instance.privateIpAddress ? [instance.privateIpAddress] : [],
      },
    },
    InnerIpAddress: { IpAddress: instance.innerIpAddress ? [instance.innerIpAddress] : [] },
    PublicIpAddress: { IpAddress: instance.publicIpAddress ? [instance.publicIpAddress] : [] },
    EipAddress: {
      AllocationId: instance.eipAddress ? `eip-${instance.instanceId.replace(/^i-/, '')}` : '',
      IpAddress: instance.eipAddress ?? '',
      Bandwidth: instance.eipAddress ? 5 : 0,
      InternetChargeType: instance.eipAddress ? 'PayByTraffic' : '',
      IsSupportUnassociate: true,
    },
    NetworkInterfaces: { NetworkInterface: renderNetworkInterfaces(instance, context) },
    OperationLocks: {
      LockReason: (instance.operationLocks ?? []).map((lock) => ({
        LockReason: lock.lockReason,
        LockMsg: lock.lockMsg ?? '',
      })),
    },
    Tags: renderTags(instance.tags),
  };
}

function privateAddresses(instance: FixtureInstance): string[] {
  return [instance.privateIpAddress, instance.innerIpAddress].filter(
    (address): address is string => address !== undefined,
  );
}

function publicAddresses(instance: FixtureInstance): string[] {
  return [instance.publicIpAddress, instance.eipAddress].filter(
    (address): address is string => address !== undefined,
  );
}

function buildFilter(context: ActionContext, regionId: string) {
  const { params } = context;
  const instanceIds = params.jsonArray('InstanceIds', 100, 'InvalidInstanceIds.Malformed');
  const privateIps = params.jsonArray('PrivateIpAddresses', 100);
  const innerIps = params.jsonArray('InnerIpAddresses', 100);
  const publicIps = params.jsonArray('PublicIpAddresses', 100);
  const vpcId = params.get('VpcId');
  const vSwitchId = params.get('VSwitchId');
  const zoneId = params.get('ZoneId');
  const securityGroupId = params.get('SecurityGroupId');
  const networkType = params.oneOf('InstanceNetworkType', ['vpc', 'classic'] as const);
  const status = params.oneOf('Status', STATUSES);
  const lockReason = params.get('LockReason');
  const instanceName = params.get('InstanceName');
  const tags = params.tags();

  return (instance: FixtureInstance): boolean =>
    instance.regionId === regionId &&
    (instanceIds === undefined || instanceIds.includes(instance.instanceId)) &&
    (privateIps === undefined ||
      privateAddresses(instance).some((ip) => privateIps.includes(ip))) &&
    (innerIps === undefined ||
      (instance.innerIpAddress !== undefined && innerIps.includes(instance.innerIpAddress))) &&
    (publicIps === undefined || publicAddresses(instance).some((ip) => publicIps.includes(ip))) &&
    (vpcId === undefined || instance.vpcId === vpcId) &&
    (vSwitchId === undefined || instance.vSwitchId === vSwitchId) &&
    (zoneId === undefined || instance.zoneId === zoneId) &&
    (securityGroupId === undefined || instance.securityGroupIds.includes(securityGroupId)) &&
    (networkType === undefined || instance.instanceNetworkType === networkType) &&
    (status === undefined || instance.status === status) &&
    (lockReason === undefined ||
      (instance.operationLocks ?? []).some((lock) => lock.lockReason === lockReason)) &&
    (instanceName === undefined || matchesWildcard(instance.instanceName, instanceName)) &&
    matchesTags(instance.tags, tags);
}

export function describeInstances(context: ActionContext) {
  const regionId = requireRegion(context);
  const matches = context.state.instances.filter(buildFilter(context, regionId));
  // MaxResults outside 10..100 is clamped. Legacy PageSize is 1 to 100, default 10.
  const window = readPageWindow(context.params, context.action, {
    maxResults: { min: 10, max: 100, default: 10 },
    clampMaxResults: true,
    maxPageSize: 100,
    defaultPageSize: 10,
  });
  const page = paginate(matches, window, context.action);
  return {
    TotalCount: page.totalCount,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    NextToken: page.nextToken,
    Instances: { Instance: page.items.map((instance) => renderInstance(instance, context)) },
  };
}
