// The JoinSecurityGroup rules of the ECS API reference, as pure checks. Each returns the first
// rule that an instance and a group break, or undefined when the join may be sent.
import type { Instance, NetworkInterface, SecurityGroup } from '../ecs/model';

/** Instances per security group, from the JoinSecurityGroup API reference. */
export const GROUP_INSTANCE_LIMIT = 1000;

/** Security groups per instance unless a quota increase was granted; 16 is the highest grant. */
export const DEFAULT_GROUPS_PER_INSTANCE = 5;
export const MAX_GROUPS_PER_INSTANCE = 16;

export type JoinRefusal =
  | { rule: 'instanceNotFound'; regionId: string }
  | { rule: 'groupNotFound'; regionId: string }
  | { rule: 'status'; status: string }
  | { rule: 'securityLock'; lockMessage: string }
  | { rule: 'alreadyMember' }
  | { rule: 'region'; instanceRegion: string; groupRegion: string }
  | { rule: 'networkType'; instanceNetwork: string; groupNetwork: string }
  | { rule: 'vpc'; instanceVpc: string; groupVpc: string }
  | { rule: 'groupType'; groupType: string; memberGroupId: string; memberType: string }
  | { rule: 'instanceLimit'; count: number; limit: number }
  | { rule: 'groupFull'; count: number; limit: number }
  | { rule: 'networkInterfaceNotFound'; regionId: string }
  | { rule: 'networkInterfaceStatus'; status: string };

export interface JoinContext {
  instance: Instance;
  group: SecurityGroup;
  /** The groups the instance is in now, with their types; used for the type-mixing rule. */
  memberGroups: SecurityGroup[];
  /** The per-instance limit in force for the account (5 unless raised, at most 16). */
  groupsPerInstance: number;
}

const JOINABLE_STATUSES = new Set(['Running', 'Stopped']);

/** Returns the network type of a group: a group with no VPC belongs to the classic network. */
export function groupNetworkType(group: SecurityGroup): 'vpc' | 'classic' {
  return group.vpcId ? 'vpc' : 'classic';
}

/** Clamps the per-instance limit setting to what the API can grant. */
export function effectiveGroupLimit(setting: number | undefined): number {
  if (setting === undefined || !Number.isFinite(setting)) {
    return DEFAULT_GROUPS_PER_INSTANCE;
  }
  return Math.min(MAX_GROUPS_PER_INSTANCE, Math.max(1, Math.floor(setting)));
}

/**
 * Tells whether a group is one the member could ever join: same region, same network type and,
 * for a VPC, the same VPC. Pickers leave the other groups out.
 */
export function isInScope(
  member: { regionId: string; vpcId: string; networkType?: string },
  group: SecurityGroup,
): boolean {
  const memberNetwork = member.networkType === 'classic' ? 'classic' : 'vpc';
  if (member.regionId !== group.regionId || memberNetwork !== groupNetworkType(group)) {
    return false;
  }
  return memberNetwork === 'classic' || member.vpcId === group.vpcId;
}

export function checkJoin(context: JoinContext): JoinRefusal | undefined {
  const { instance, group } = context;
  if (instance.regionId !== group.regionId) {
    return { rule: 'region', instanceRegion: instance.regionId, groupRegion: group.regionId };
  }
  if (instance.securityGroupIds.includes(group.securityGroupId)) {
    return { rule: 'alreadyMember' };
  }
  const lock = instance.operationLocks.find((item) => item.lockReason === 'security');
  if (lock) {
    return { rule: 'securityLock', lockMessage: lock.lockMsg ?? '' };
  }
  if (!JOINABLE_STATUSES.has(instance.status)) {
    return { rule: 'status', status: instance.status };
  }
  const groupNetwork = groupNetworkType(group);
  const instanceNetwork = instance.networkType === 'classic' ? 'classic' : 'vpc';
  if (instanceNetwork !== groupNetwork) {
    return { rule: 'networkType', instanceNetwork, groupNetwork };
  }
  if (instanceNetwork === 'vpc' && instance.vpcId !== group.vpcId) {
    return { rule: 'vpc', instanceVpc: instance.vpcId, groupVpc: group.vpcId };
  }
  return checkMembershipRoom(group, instance.securityGroupIds, context);
}

/**
 * Checks the rules an instance and a network interface share once scope and state pass: no
 * mixing of group types, the member's own group limit, and the group's capacity.
 */
function checkMembershipRoom(
  group: SecurityGroup,
  memberGroupIds: string[],
  context: { memberGroups: SecurityGroup[]; groupsPerInstance: number },
): JoinRefusal | undefined {
  const mixed = context.memberGroups.find((member) => member.type !== group.type);
  if (mixed) {
    return {
      rule: 'groupType',
      groupType: group.type,
      memberGroupId: mixed.securityGroupId,
      memberType: mixed.type,
    };
  }
  if (memberGroupIds.length >= context.groupsPerInstance) {
    return {
      rule: 'instanceLimit',
      count: memberGroupIds.length,
      limit: context.groupsPerInstance,
    };
  }
  return checkGroupCapacity(group);
}

/**
 * Checks the group's capacity. DescribeSecurityGroups reports the remaining capacity
 * (AvailableInstanceAmount) and the member count (EcsCount). The API calls both a rough guide,
 * so the server may still return SecurityGroupInstanceLimitExceeded.
 */
export function checkGroupCapacity(group: SecurityGroup): JoinRefusal | undefined {
  const count = group.memberCount ?? 0;
  if (group.availableAmount !== undefined && group.availableAmount <= 0) {
    return { rule: 'groupFull', count, limit: count + group.availableAmount };
  }
  if (group.type !== 'enterprise' && count >= GROUP_INSTANCE_LIMIT) {
    return { rule: 'groupFull', count, limit: GROUP_INSTANCE_LIMIT };
  }
  return undefined;
}

export type LeaveRefusal =
  | { rule: 'instanceNotFound'; regionId: string }
  | { rule: 'notMember' }
  | { rule: 'lastGroup' }
  | { rule: 'status'; status: string }
  | { rule: 'securityLock'; lockMessage: string };

/**
 * Checks a LeaveSecurityGroup call: the instance must be in the group, keep at least one other
 * group, be Running or Stopped and have no security lock (LeaveSecurityGroup API reference).
 */
export function checkLeave(instance: Instance, securityGroupId: string): LeaveRefusal | undefined {
  if (!instance.securityGroupIds.includes(securityGroupId)) {
    return { rule: 'notMember' };
  }
  if (instance.securityGroupIds.length <= 1) {
    return { rule: 'lastGroup' };
  }
  const lock = instance.operationLocks.find((item) => item.lockReason === 'security');
  if (lock) {
    return { rule: 'securityLock', lockMessage: lock.lockMsg ?? '' };
  }
  if (!JOINABLE_STATUSES.has(instance.status)) {
    return { rule: 'status', status: instance.status };
  }
  return undefined;
}

/** Network interface states in which the API accepts a join or leave. */
const ENI_CHANGEABLE_STATUSES = new Set(['Available', 'InUse']);

export interface NetworkInterfaceJoinContext {
  networkInterface: NetworkInterface;
  group: SecurityGroup;
  memberGroups: SecurityGroup[];
  /** The instance the interface is attached to, whose security lock also blocks the change. */
  owner: Instance | undefined;
  groupsPerInstance: number;
}

/**
 * Checks a join of a secondary network interface. The rules are those of an instance, counted
 * on the interface's own groups. Its state must also be Available or InUse, because the API
 * returns InvalidOperation.InvalidEniState otherwise.
 */
export function checkNetworkInterfaceJoin(
  context: NetworkInterfaceJoinContext,
): JoinRefusal | undefined {
  const { networkInterface: eni, group } = context;
  if (eni.regionId !== group.regionId) {
    return { rule: 'region', instanceRegion: eni.regionId, groupRegion: group.regionId };
  }
  if (eni.securityGroupIds.includes(group.securityGroupId)) {
    return { rule: 'alreadyMember' };
  }
  const lock = context.owner?.operationLocks.find((item) => item.lockReason === 'security');
  if (lock) {
    return { rule: 'securityLock', lockMessage: lock.lockMsg ?? '' };
  }
  if (!ENI_CHANGEABLE_STATUSES.has(eni.status)) {
    return { rule: 'networkInterfaceStatus', status: eni.status };
  }
  if (!group.vpcId) {
    return { rule: 'networkType', instanceNetwork: 'vpc', groupNetwork: 'classic' };
  }
  if (eni.vpcId !== group.vpcId) {
    return { rule: 'vpc', instanceVpc: eni.vpcId, groupVpc: group.vpcId };
  }
  return checkMembershipRoom(group, eni.securityGroupIds, context);
}

/** Checks a leave of a network interface: member, not its last group, a state that allows it. */
export function checkNetworkInterfaceLeave(
  eni: NetworkInterface,
  securityGroupId: string,
  owner: Instance | undefined,
): LeaveRefusal | undefined {
  if (!eni.securityGroupIds.includes(securityGroupId)) {
    return { rule: 'notMember' };
  }
  if (eni.securityGroupIds.length <= 1) {
    return { rule: 'lastGroup' };
  }
  const lock = owner?.operationLocks.find((item) => item.lockReason === 'security');
  if (lock) {
    return { rule: 'securityLock', lockMessage: lock.lockMsg ?? '' };
  }
  if (!ENI_CHANGEABLE_STATUSES.has(eni.status)) {
    return { rule: 'status', status: eni.status };
  }
  return undefined;
}
