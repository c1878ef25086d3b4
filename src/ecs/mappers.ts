// Conversions from the SDK's response models to the domain records in model.ts.
import type * as Ecs from '@alicloud/ecs20140526';
import type { Instance, NetworkInterface, Region, SecurityGroup, Vpc } from './model';

type SdkInstance = Ecs.DescribeInstancesResponseBodyInstancesInstance;
type SdkSecurityGroup = Ecs.DescribeSecurityGroupsResponseBodySecurityGroupsSecurityGroup;

export function toRegion(region: Ecs.DescribeRegionsResponseBodyRegionsRegion): Region {
  return {
    regionId: region.regionId ?? '',
    localName: region.localName ?? region.regionId ?? '',
    endpoint: region.regionEndpoint ?? '',
    status: region.status ?? '',
  };
}

export function toVpc(vpc: Ecs.DescribeVpcsResponseBodyVpcsVpc): Vpc {
  return {
    vpcId: vpc.vpcId ?? '',
    vpcName: vpc.vpcName ?? '',
    regionId: vpc.regionId ?? '',
    cidrBlock: vpc.cidrBlock ?? '',
    isDefault: vpc.isDefault ?? false,
  };
}

export function toInstance(instance: SdkInstance): Instance {
  const networkType = instance.instanceNetworkType ?? '';
  const vpcIps = instance.vpcAttributes?.privateIpAddress?.ipAddress ?? [];
  const classicIps = instance.innerIpAddress?.ipAddress ?? [];
  const publicIps = [...(instance.publicIpAddress?.ipAddress ?? [])];
  const eip = instance.eipAddress?.ipAddress;
  if (eip) {
    publicIps.push(eip);
  }
  return {
    instanceId: instance.instanceId ?? '',
    instanceName: instance.instanceName ?? '',
    regionId: instance.regionId ?? '',
    zoneId: instance.zoneId ?? '',
    status: instance.status ?? '',
    networkType,
    vpcId: networkType === 'classic' ? '' : (instance.vpcAttributes?.vpcId ?? ''),
    securityGroupIds: instance.securityGroupIds?.securityGroupId ?? [],
    privateIpAddresses: networkType === 'classic' ? classicIps : vpcIps,
    publicIpAddresses: publicIps,
    operationLocks: (instance.operationLocks?.lockReason ?? []).map((lock) => ({
      lockReason: lock.lockReason ?? '',
      lockMsg: lock.lockMsg,
    })),
    instanceType: instance.instanceType ?? '',
  };
}

export function toSecurityGroup(group: SdkSecurityGroup, regionId: string): SecurityGroup {
  return {
    securityGroupId: group.securityGroupId ?? '',
    securityGroupName: group.securityGroupName ?? '',
    regionId,
    vpcId: group.vpcId ?? '',
    type: group.securityGroupType ?? 'normal',
    description: group.description ?? '',
    memberCount: group.ecsCount,
    availableAmount: group.availableInstanceAmount,
  };
}

export function toNetworkInterface(
  eni: Ecs.DescribeNetworkInterfacesResponseBodyNetworkInterfaceSetsNetworkInterfaceSet,
  regionId: string,
): NetworkInterface {
  return {
    networkInterfaceId: eni.networkInterfaceId ?? '',
    networkInterfaceName: eni.networkInterfaceName ?? '',
    regionId,
    type: eni.type ?? '',
    status: eni.status ?? '',
    instanceId: eni.instanceId ?? eni.attachment?.instanceId ?? '',
    vpcId: eni.vpcId ?? '',
    securityGroupIds: eni.securityGroupIds?.securityGroupId ?? [],
    privateIpAddress: eni.privateIpAddress ?? '',
  };
}
