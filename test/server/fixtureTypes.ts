/**
 * Data model of the local ECS server. The fixture JSON and the live `EcsServer.state` share these
 * types. Fields are camelCase, and the actions render them in the PascalCase shapes of the ECS
 * 2014-05-26 API.
 */

export type InstanceStatus = 'Pending' | 'Starting' | 'Running' | 'Stopping' | 'Stopped';
export type NetworkType = 'vpc' | 'classic';
export type SecurityGroupType = 'normal' | 'enterprise';
export type NetworkInterfaceStatus = 'Available' | 'Attaching' | 'InUse' | 'Detaching' | 'Deleting';

/** AccessKey pair that the server accepts. */
export interface FixtureAccount {
  accessKeyId: string;
  accessKeySecret: string;
  /** STS token. When set, requests must send it in `x-acs-security-token`. */
  securityToken?: string;
  /** Rejects every request with 400 InvalidSecurityToken.Expired. */
  tokenExpired?: boolean;
  /** Rejects every request with 403 InvalidAccessKeyId.Inactive. */
  inactive?: boolean;
}

export interface FixtureTag {
  key: string;
  value: string;
}

export interface FixtureRegion {
  regionId: string;
  /** Region names by AcceptLanguage. Languages other than zh-CN get the en-US name. */
  localName: { 'zh-CN': string; 'en-US': string };
  /** Defaults to `ecs.<regionId>.aliyuncs.com`. */
  regionEndpoint?: string;
  status?: 'available' | 'soldOut';
}

export interface FixtureVpc {
  vpcId: string;
  vpcName: string;
  regionId: string;
  cidrBlock: string;
  description?: string;
  isDefault?: boolean;
  status?: 'Pending' | 'Available';
  vRouterId?: string;
  vSwitchIds?: string[];
  creationTime?: string;
}

export interface FixtureOperationLock {
  /** `security` blocks Join and Leave. `financial`, `Recycling` and the others do not. */
  lockReason: string;
  lockMsg?: string;
}

export interface FixtureInstance {
  instanceId: string;
  instanceName: string;
  description?: string;
  regionId: string;
  zoneId: string;
  status: InstanceStatus;
  instanceNetworkType: NetworkType;
  instanceType?: string;
  cpu?: number;
  /** Memory in MiB. */
  memory?: number;
  /** Required for `vpc` instances and absent for `classic` ones. */
  vpcId?: string;
  vSwitchId?: string;
  /** VPC private IP. Classic instances use `innerIpAddress` instead. */
  privateIpAddress?: string;
  innerIpAddress?: string;
  publicIpAddress?: string;
  eipAddress?: string;
  /** Primary ENI of a VPC instance. Defaults to `eni-` plus the instance ID without `i-`. */
  primaryNetworkInterfaceId?: string;
  macAddress?: string;
  securityGroupIds: string[];
  /** Maximum number of groups for this instance's primary ENI. Defaults to 5. */
  maxSecurityGroups?: number;
  operationLocks?: FixtureOperationLock[];
  tags?: FixtureTag[];
  osName?: string;
  osType?: 'linux' | 'windows';
  imageId?: string;
  hostName?: string;
  instanceChargeType?: 'PrePaid' | 'PostPaid';
  resourceGroupId?: string;
  creationTime?: string;
}

export interface FixturePermission {
  securityGroupRuleId: string;
  direction: 'ingress' | 'egress';
  ipProtocol: 'TCP' | 'UDP' | 'ICMP' | 'ICMPv6' | 'GRE' | 'ALL';
  /** `start/end`, for example `22/22`, or `-1/-1` for all ports. */
  portRange: string;
  policy?: 'Accept' | 'Drop';
  priority?: number;
  sourceCidrIp?: string;
  destCidrIp?: string;
  sourceGroupId?: string;
  description?: string;
}

export interface FixtureSecurityGroup {
  securityGroupId: string;
  securityGroupName: string;
  description?: string;
  regionId: string;
  /** Empty string for a classic-network group. */
  vpcId: string;
  securityGroupType: SecurityGroupType;
  /** Maximum number of members (instances plus secondary ENIs). Defaults to 1000. */
  maxInstances?: number;
  innerAccessPolicy?: 'Accept' | 'Drop';
  resourceGroupId?: string;
  serviceManaged?: boolean;
  permissions?: FixturePermission[];
  tags?: FixtureTag[];
  creationTime?: string;
}

/**
 * Secondary ENI. Primary ENIs are not listed here: each VPC instance has one, derived from the
 * instance, whose groups are the instance's `securityGroupIds`.
 */
export interface FixtureNetworkInterface {
  networkInterfaceId: string;
  networkInterfaceName?: string;
  description?: string;
  regionId: string;
  zoneId: string;
  vpcId: string;
  vSwitchId: string;
  status: NetworkInterfaceStatus;
  /** Instance the ENI is attached to. Absent for a detached ENI. */
  instanceId?: string;
  privateIpAddress: string;
  macAddress?: string;
  securityGroupIds: string[];
  /** Maximum number of groups for this ENI. Defaults to 5. */
  maxSecurityGroups?: number;
  tags?: FixtureTag[];
  creationTime?: string;
}

/** Live, mutable data of a running server. */
export interface EcsState {
  accounts: FixtureAccount[];
  regions: FixtureRegion[];
  vpcs: FixtureVpc[];
  instances: FixtureInstance[];
  securityGroups: FixtureSecurityGroup[];
  networkInterfaces: FixtureNetworkInterface[];
}

/** Contents of a fixture file. `networkInterfaces` may be omitted. */
export type EcsFixture = Omit<EcsState, 'networkInterfaces'> & {
  networkInterfaces?: FixtureNetworkInterface[];
};

export const DEFAULT_MAX_SECURITY_GROUPS = 5;
export const DEFAULT_MAX_INSTANCES = 1000;
