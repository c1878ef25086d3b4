// Domain records that the extension works with, mapped from the ECS 2014-05-26 responses.
// Field names follow the API in camelCase; lists are always arrays.

export type InstanceStatus = 'Pending' | 'Starting' | 'Running' | 'Stopping' | 'Stopped';

export type NetworkType = 'vpc' | 'classic';

export type SecurityGroupType = 'normal' | 'enterprise';

export interface Region {
  regionId: string;
  localName: string;
  endpoint: string;
  status: string;
}

export interface Vpc {
  vpcId: string;
  vpcName: string;
  regionId: string;
  cidrBlock: string;
  isDefault: boolean;
}

export interface OperationLock {
  lockReason: string;
  lockMsg?: string;
}

export interface Instance {
  instanceId: string;
  instanceName: string;
  regionId: string;
  zoneId: string;
  status: InstanceStatus | string;
  networkType: NetworkType | string;
  /** Empty for a classic-network instance. */
  vpcId: string;
  securityGroupIds: string[];
  privateIpAddresses: string[];
  publicIpAddresses: string[];
  operationLocks: OperationLock[];
  instanceType: string;
}

export interface SecurityGroup {
  securityGroupId: string;
  securityGroupName: string;
  regionId: string;
  /** Empty for a classic-network group. */
  vpcId: string;
  type: SecurityGroupType | string;
  description: string;
  /** Member count as DescribeSecurityGroups reports it (EcsCount); the API calls it a rough guide. */
  memberCount?: number;
  /** Remaining capacity as DescribeSecurityGroups reports it (AvailableInstanceAmount). */
  availableAmount?: number;
}

/** An elastic network interface; secondary ones have security groups of their own. */
export interface NetworkInterface {
  networkInterfaceId: string;
  networkInterfaceName: string;
  regionId: string;
  type: 'Primary' | 'Secondary' | string;
  status: string;
  /** The instance it is attached to, or empty. */
  instanceId: string;
  vpcId: string;
  securityGroupIds: string[];
  privateIpAddress: string;
}

/** One page of a list call; `nextToken` is empty on the last page. */
export interface Page<T> {
  items: T[];
  nextToken: string;
}

/** A reference to a resource in a region, the minimum needed to load or act on it. */
export interface RegionalRef {
  regionId: string;
  id: string;
}
