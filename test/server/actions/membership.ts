import {
  EcsApiError,
  instanceNotFound,
  missingParameter,
  networkInterfaceNotFound,
  regionNotFound,
  securityGroupNotFound,
} from '../errors';
import type { FixtureInstance, FixtureSecurityGroup, NetworkType } from '../fixtureTypes';
import { DEFAULT_MAX_SECURITY_GROUPS } from '../fixtureTypes';
import type { ActionContext } from '../model';
import {
  findGroup,
  findInstance,
  findNetworkInterface,
  groupCapacity,
  memberCount,
} from '../model';
import { groupNetworkType } from '../model';

/** Instance or ENI whose group list JoinSecurityGroup and LeaveSecurityGroup change. */
interface MembershipTarget {
  label: string;
  regionId: string;
  networkType: NetworkType;
  /** Empty string for a classic instance. */
  vpcId: string;
  /** The live list in the state, changed in place. */
  groupIds: string[];
  maxGroups: number;
  /** Instance whose security lock applies. For a detached ENI there is none. */
  lockOwner: FixtureInstance | undefined;
  /** Instance whose status must be Running or Stopped. Absent for a secondary ENI. */
  statusOwner: FixtureInstance | undefined;
  /** Status of a secondary ENI, which must be Available or InUse. */
  eniStatus: string | undefined;
}

function instanceTarget(instance: FixtureInstance): MembershipTarget {
  return {
    label: `instance ${instance.instanceId}`,
    regionId: instance.regionId,
    networkType: instance.instanceNetworkType,
    vpcId: instance.instanceNetworkType === 'vpc' ? (instance.vpcId ?? '') : '',
    groupIds: instance.securityGroupIds,
    maxGroups: instance.maxSecurityGroups ?? DEFAULT_MAX_SECURITY_GROUPS,
    lockOwner: instance,
    statusOwner: instance,
    eniStatus: undefined,
  };
}

/** Reads the request parameters and finds the target and the group, in the API's check order. */
function resolve(context: ActionContext): {
  target: MembershipTarget;
  group: FixtureSecurityGroup;
} {
  const { params, state } = context;
  const instanceId = params.get('InstanceId');
  const eniId = params.get('NetworkInterfaceId');
  if (instanceId !== undefined && eniId !== undefined) {
    throw new EcsApiError(
      'InvalidParam.EniIdAndInstanceId.Conflict',
      403,
      'InstanceId and NetworkInterfaceId are mutually exclusive. Specify only one of them.',
    );
  }
  if (instanceId === undefined && eniId === undefined) {
    throw missingParameter('InstanceId');
  }
  const securityGroupId = params.require('SecurityGroupId');
  const regionParam = params.get('RegionId');
  if (eniId !== undefined && regionParam === undefined) {
    throw missingParameter('RegionId');
  }
  if (regionParam !== undefined && !state.regions.some((r) => r.regionId === regionParam)) {
    throw regionNotFound(regionParam);
  }

  let target: MembershipTarget;
  if (instanceId !== undefined) {
    const instance = findInstance(state, instanceId);
    if (!instance || (regionParam !== undefined && instance.regionId !== regionParam)) {
      throw instanceNotFound(instanceId);
    }
    target = instanceTarget(instance);
  } else {
    const ref = findNetworkInterface(state, eniId ?? '', regionParam ?? '');
    if (!ref) {
      throw networkInterfaceNotFound(eniId ?? '');
    }
    if (ref.type === 'Primary') {
      target = { ...instanceTarget(ref.instance), label: `network interface ${ref.id}` };
    } else {
      const eni = ref.eni;
      target = {
        label: `network interface ${eni.networkInterfaceId}`,
        regionId: eni.regionId,
        networkType: 'vpc',
        vpcId: eni.vpcId,
        groupIds: eni.securityGroupIds,
        maxGroups: eni.maxSecurityGroups ?? DEFAULT_MAX_SECURITY_GROUPS,
        lockOwner: eni.instanceId === undefined ? undefined : findInstance(state, eni.instanceId),
        statusOwner: undefined,
        eniStatus: eni.status,
      };
    }
  }

  const group = findGroup(state, securityGroupId, regionParam ?? target.regionId);
  if (!group) {
    throw securityGroupNotFound(securityGroupId);
  }
  checkLockAndStatus(target);
  return { target, group };
}

function checkLockAndStatus(target: MembershipTarget): void {
  const locks = target.lockOwner?.operationLocks ?? [];
  if (locks.some((lock) => lock.lockReason === 'security')) {
    throw new EcsApiError(
      'InstanceLockedForSecurity',
      403,
      `The specified operation is denied as your instance is locked for security reasons: ${target.lockOwner?.instanceId}.`,
    );
  }
  const status = target.statusOwner?.status;
  if (status !== undefined && status !== 'Running' && status !== 'Stopped') {
    throw new EcsApiError(
      'IncorrectInstanceStatus',
      403,
      `The current status of the resource does not support this operation: ${target.label} is ${status}, expected Running or Stopped.`,
    );
  }
  if (target.eniStatus !== undefined && !['Available', 'InUse'].includes(target.eniStatus)) {
    throw new EcsApiError(
      'InvalidOperation.InvalidEniState',
      400,
      `The operation is not allowed in the current state of the ${target.label}: ${target.eniStatus}.`,
    );
  }
}

export function joinSecurityGroup(context: ActionContext) {
  const { state } = context;
  const { target, group } = resolve(context);
  const groupId = group.securityGroupId;
  if (target.groupIds.includes(groupId)) {
    throw new EcsApiError(
      'InvalidInstanceId.AlreadyExists',
      403,
      `The specified instance already exists in the specified security group: ${target.label} is in ${groupId}.`,
    );
  }
  if (groupNetworkType(group) !== target.networkType || group.vpcId !== target.vpcId) {
    throw new EcsApiError(
      'InvalidInstanceId.Mismatch',
      400,
      `Specified instance and security group are not in the same VPC: ${target.label} is in ` +
        `${target.vpcId || 'the classic network'}, ${groupId} is in ${group.vpcId || 'the classic network'}.`,
    );
  }
  const currentTypes = target.groupIds
    .map((id) => state.securityGroups.find((candidate) => candidate.securityGroupId === id))
    .map((candidate) => candidate?.securityGroupType);
  if (currentTypes.some((type) => type !== undefined && type !== group.securityGroupType)) {
    throw new EcsApiError(
      'InvalidOperation.MultiGroupType',
      400,
      `The ${target.label} cannot be in basic and advanced security groups at the same time: ${groupId} is ${group.securityGroupType}.`,
    );
  }
  if (target.groupIds.length >= target.maxGroups) {
    throw new EcsApiError(
      'InstanceSecurityGroupLimitExceeded',
      400,
      `Exceeding the allowed amount of security groups that an instance can be in: ${target.label} is already in ${target.maxGroups} groups.`,
    );
  }
  if (memberCount(state, groupId) >= groupCapacity(group)) {
    throw new EcsApiError(
      'SecurityGroupInstanceLimitExceeded',
      403,
      `The maximum number of instances in a security group is exceeded: ${groupId} has ${groupCapacity(group)} members.`,
    );
  }
  target.groupIds.push(groupId);
  return {};
}

export function leaveSecurityGroup(context: ActionContext) {
  const { target, group } = resolve(context);
  const index = target.groupIds.indexOf(group.securityGroupId);
  if (index < 0) {
    throw new EcsApiError(
      'InvalidSecurityGroupAssociation.NotFound',
      400,
      `The ${target.label} is not in the security group ${group.securityGroupId}.`,
    );
  }
  if (target.groupIds.length <= 1) {
    throw new EcsApiError(
      'InstanceLastSecurityGroup',
      403,
      `The ${target.label} must stay in at least one security group, and ${group.securityGroupId} is its last one.`,
    );
  }
  target.groupIds.splice(index, 1);
  return {};
}
