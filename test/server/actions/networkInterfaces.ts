import type { NetworkInterfaceStatus } from '../fixtureTypes';
import type { ActionContext, NetworkInterfaceRef } from '../model';
import { listNetworkInterfaces, requireRegion } from '../model';
import { matchesTags, renderTags } from '../params';
import { paginate, readPageWindow } from '../paging';
import { derivedMacAddress } from './instances';

const STATUSES: readonly NetworkInterfaceStatus[] = [
  'Available',
  'Attaching',
  'InUse',
  'Detaching',
  'Deleting',
];

/** Flattens a primary or secondary ENI into the fields both kinds share. */
function describeRef(ref: NetworkInterfaceRef) {
  if (ref.type === 'Primary') {
    const instance = ref.instance;
    return {
      id: ref.id,
      type: ref.type,
      name: '',
      description: '',
      status: 'InUse' as NetworkInterfaceStatus,
      instanceId: instance.instanceId as string | undefined,
      vpcId: instance.vpcId ?? '',
      vSwitchId: instance.vSwitchId ?? '',
      zoneId: instance.zoneId,
      privateIpAddress: instance.privateIpAddress ?? '',
      macAddress: instance.macAddress ?? derivedMacAddress(instance.instanceId),
      securityGroupIds: instance.securityGroupIds,
      tags: undefined,
      creationTime: instance.creationTime,
    };
  }
  const eni = ref.eni;
  return {
    id: ref.id,
    type: ref.type,
    name: eni.networkInterfaceName ?? '',
    description: eni.description ?? '',
    status: eni.status,
    instanceId: eni.instanceId,
    vpcId: eni.vpcId,
    vSwitchId: eni.vSwitchId,
    zoneId: eni.zoneId,
    privateIpAddress: eni.privateIpAddress,
    macAddress: eni.macAddress ?? derivedMacAddress(eni.networkInterfaceId),
    securityGroupIds: eni.securityGroupIds,
    tags: eni.tags,
    creationTime: eni.creationTime,
  };
}

type EniView = ReturnType<typeof describeRef>;

function buildFilter(context: ActionContext) {
  const { params } = context;
  const ids = params.indexedList('NetworkInterfaceId', 100);
  const privateIps = params.indexedList('PrivateIpAddress', 100);
  const instanceId = params.get('InstanceId');
  const vpcId = params.get('VpcId');
  const vSwitchId = params.get('VSwitchId');
  const securityGroupId = params.get('SecurityGroupId');
  const type = params.oneOf('Type', ['Primary', 'Secondary'] as const);
  const status = params.oneOf('Status', STATUSES);
  const primaryIp = params.get('PrimaryIpAddress');
  const name = params.get('NetworkInterfaceName');
  const tags = params.tags();

  return (view: EniView): boolean =>
    (ids === undefined || ids.includes(view.id)) &&
    (privateIps === undefined || privateIps.includes(view.privateIpAddress)) &&
    (instanceId === undefined || view.instanceId === instanceId) &&
    (vpcId === undefined || view.vpcId === vpcId) &&
    (vSwitchId === undefined || view.vSwitchId === vSwitchId) &&
    // The API page states that the SecurityGroupId filter matches secondary ENIs only.
    (securityGroupId === undefined ||
      (view.type === 'Secondary' && view.securityGroupIds.includes(securityGroupId))) &&
    (type === undefined || view.type === type) &&
    (status === undefined || view.status === status) &&
    (primaryIp === undefined || view.privateIpAddress === primaryIp) &&
    (name === undefined || view.name === name) &&
    matchesTags(view.tags, tags);
}

function renderView(view: EniView) {
  return {
    NetworkInterfaceId: view.id,
    NetworkInterfaceName: view.name,
    Type: view.type,
    Status: view.status,
    InstanceId: view.instanceId ?? '',
    VpcId: view.vpcId,
    VSwitchId: view.vSwitchId,
    ZoneId: view.zoneId,
    MacAddress: view.macAddress,
    PrivateIpAddress: view.privateIpAddress,
    Description: view.description,
    CreationTime: view.creationTime ?? '2024-01-01T00:00:00Z',
    ResourceGroupId: '',
    ServiceManaged: false,
    QueueNumber: 1,
    DeleteOnRelease: view.type === 'Primary',
    SecurityGroupIds: { SecurityGroupId: [...view.securityGroupIds] },
    PrivateIpSets: {
      PrivateIpSet: [
        {
          PrivateIpAddress: view.privateIpAddress,
          Primary: true,
          AssociatedPublicIp: { PublicIpAddress: '', AllocationId: '' },
        },
      ],
    },
    Attachment: view.instanceId
      ? {
          InstanceId: view.instanceId,
          DeviceIndex: view.type === 'Primary' ? 0 : 1,
          NetworkCardIndex: 0,
          TrunkNetworkInterfaceId: '',
        }
      : {},
    AssociatedPublicIp: { PublicIpAddress: '', AllocationId: '' },
    Ipv6Sets: { Ipv6Set: [] },
    Tags: renderTags(view.tags),
  };
}

export function describeNetworkInterfaces(context: ActionContext) {
  const regionId = requireRegion(context);
  const matches = listNetworkInterfaces(context.state, regionId)
    .map(describeRef)
    .filter(buildFilter(context));
  // MaxResults outside 10..500 is clamped. Legacy PageSize is 1 to 1000, default 10.
  const window = readPageWindow(context.params, context.action, {
    maxResults: { min: 10, max: 500, default: 10 },
    clampMaxResults: true,
    maxPageSize: 1000,
    defaultPageSize: 10,
  });
  const page = paginate(matches, window, context.action);
  return {
    TotalCount: page.totalCount,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    NextToken: page.nextToken,
    NetworkInterfaceSets: {
      NetworkInterfaceSet: page.items.map(renderView),
    },
  };
}
