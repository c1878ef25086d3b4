// Plans joins and leaves in bulk: loads every instance and group involved with as few calls as
// the API allows, then checks each change against the rules as if the earlier ones were done.
import { PAGE_LIMITS, type CallOptions, type EcsGateway } from '../ecs/gateway';
import type { Instance, NetworkInterface, SecurityGroup } from '../ecs/model';
import type { Translate } from '../i18n/translate';
import { groupLabel, instanceLabel, networkInterfaceLabel } from './labels';
import { describeLeaveRefusal, describeRefusal, type JoinSubject } from './messages';
import {
  checkJoin,
  checkLeave,
  checkNetworkInterfaceJoin,
  checkNetworkInterfaceLeave,
  type JoinRefusal,
  type LeaveRefusal,
} from './rules';

export type MembershipAction = 'join' | 'leave';

/** One instance, or one secondary network interface, and one group to join or leave. */
export interface MembershipPair {
  regionId: string;
  /** The instance; for a network interface, the instance it is attached to, or empty. */
  instanceId: string;
  /** Set to change a network interface's groups rather than the instance's. */
  networkInterfaceId?: string;
  securityGroupId: string;
  /** The group's region when it differs from the instance's; only a join can name one. */
  groupRegionId?: string;
}

export interface PlannedChange {
  pair: MembershipPair;
  instance?: Instance;
  networkInterface?: NetworkInterface;
  group?: SecurityGroup;
  subject: JoinSubject;
  /** Set when a rule fails; the change is then skipped and nothing is sent for it. */
  refusal?: JoinRefusal | LeaveRefusal;
  reason?: string;
}

export interface MembershipPlan {
  action: MembershipAction;
  /** Every change, in the order given. */
  items: PlannedChange[];
  ready: PlannedChange[];
  skipped: PlannedChange[];
}

export interface PlannerOptions {
  gateway: EcsGateway;
  translate: Translate;
  groupsPerInstance: () => number;
}

/**
 * Loads resources by ID, grouped by region and at most 100 IDs per call, the limit of the
 * ID-list filters of the Describe actions. Returns them keyed by region and ID.
 */
async function loadById<T>(
  refs: Array<[regionId: string, id: string]>,
  fetchChunk: (regionId: string, ids: string[]) => Promise<T[]>,
  idOf: (item: T) => string,
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  for (const [regionId, ids] of idsByRegion(refs)) {
    for (const chunk of chunks(ids, PAGE_LIMITS.idsPerCall)) {
      for (const item of await fetchChunk(regionId, chunk)) {
        found.set(key(regionId, idOf(item)), item);
      }
    }
  }
  return found;
}

/** Loads instances by ID with DescribeInstances. */
export function loadInstances(
  gateway: EcsGateway,
  wanted: Array<{ regionId: string; instanceId: string }>,
  options?: CallOptions,
): Promise<Map<string, Instance>> {
  return loadById(
    wanted.map((item): [string, string] => [item.regionId, item.instanceId]),
    async (regionId, ids) =>
      (await gateway.listInstances(regionId, { instanceIds: ids }, undefined, options)).items,
    (instance) => instance.instanceId,
  );
}

/** Loads the network interfaces that the pairs name with DescribeNetworkInterfaces. */
export function loadNetworkInterfaces(
  gateway: EcsGateway,
  wanted: MembershipPair[],
  options?: CallOptions,
): Promise<Map<string, NetworkInterface>> {
  return loadById(
    wanted.flatMap((pair): Array<[string, string]> =>
      pair.networkInterfaceId ? [[pair.regionId, pair.networkInterfaceId]] : [],
    ),
    async (regionId, ids) =>
      (
        await gateway.listNetworkInterfaces(
          regionId,
          { networkInterfaceIds: ids },
          undefined,
          options,
        )
      ).items,
    (eni) => eni.networkInterfaceId,
  );
}

/** Loads groups by ID with DescribeSecurityGroups. */
export function loadGroups(
  gateway: EcsGateway,
  wanted: Array<[regionId: string, securityGroupId: string]>,
  options?: CallOptions,
): Promise<Map<string, SecurityGroup>> {
  return loadById(
    wanted,
    async (regionId, ids) =>
      (await gateway.listSecurityGroups(regionId, { securityGroupIds: ids }, undefined, options))
        .items,
    (group) => group.securityGroupId,
  );
}

/**
 * Checks every change against fresh data. Each change is checked as if the changes before it
 * in the list were already made: two joins to a group with one free place leave the second
 * refused, and leaving two of an instance's three groups is allowed while leaving all three is not.
 */
export async function planMembership(
  action: MembershipAction,
  pairs: MembershipPair[],
  planner: PlannerOptions,
  options?: CallOptions,
): Promise<MembershipPlan> {
  const { gateway } = planner;
  const interfaces = await loadNetworkInterfaces(gateway, pairs, options);
  const instanceRefs = pairs.filter((pair) => !pair.networkInterfaceId);
  for (const eni of interfaces.values()) {
    if (eni.instanceId) {
      instanceRefs.push({
        regionId: eni.regionId,
        instanceId: eni.instanceId,
        securityGroupId: '',
      });
    }
  }
  const instances = await loadInstances(gateway, instanceRefs, options);
  const groupIds: Array<[string, string]> = pairs.map((pair) => [
    pair.groupRegionId ?? pair.regionId,
    pair.securityGroupId,
  ]);
  for (const member of [...instances.values(), ...interfaces.values()]) {
    groupIds.push(...member.securityGroupIds.map((id): [string, string] => [member.regionId, id]));
  }
  const groups = await loadGroups(gateway, groupIds, options);

  const simulation = new Simulation(instances, interfaces, groups);
  const items = pairs.map((pair) => planOne(action, pair, simulation, planner));
  return {
    action,
    items,
    ready: items.filter((item) => !item.refusal),
    skipped: items.filter((item) => item.refusal),
  };
}

function planOne(
  action: MembershipAction,
  pair: MembershipPair,
  simulation: Simulation,
  planner: PlannerOptions,
): PlannedChange {
  const t = planner.translate;
  const group = simulation.group(pair.groupRegionId ?? pair.regionId, pair.securityGroupId);
  const groupText = group ? groupLabel(group) : pair.securityGroupId;
  let refusal: JoinRefusal | LeaveRefusal | undefined;
  let subject: JoinSubject;
  let instance: Instance | undefined;
  let networkInterface: NetworkInterface | undefined;
  if (pair.networkInterfaceId) {
    networkInterface = simulation.networkInterface(pair.regionId, pair.networkInterfaceId);
    instance = networkInterface?.instanceId
      ? simulation.instance(pair.regionId, networkInterface.instanceId)
      : undefined;
    subject = {
      kind: 'networkInterface',
      instanceLabel: networkInterface
        ? networkInterfaceLabel(networkInterface)
        : pair.networkInterfaceId,
      groupLabel: groupText,
    };
    refusal =
      action === 'join'
        ? checkNetworkInterfaceJoinPair(
            pair,
            networkInterface,
            instance,
            group,
            simulation,
            planner.groupsPerInstance(),
          )
        : networkInterface
          ? checkNetworkInterfaceLeave(networkInterface, pair.securityGroupId, instance)
          : { rule: 'instanceNotFound', regionId: pair.regionId };
  } else {
    instance = simulation.instance(pair.regionId, pair.instanceId);
    subject = {
      instanceLabel: instance ? instanceLabel(instance) : pair.instanceId,
      groupLabel: groupText,
    };
    refusal =
      action === 'join'
        ? checkJoinPair(pair, instance, group, simulation, planner.groupsPerInstance())
        : checkLeavePair(pair, instance);
  }
  if (refusal) {
    const reason =
      action === 'join'
        ? describeRefusal(refusal as JoinRefusal, subject, t)
        : describeLeaveRefusal(refusal as LeaveRefusal, subject, t);
    return { pair, instance, networkInterface, group, subject, refusal, reason };
  }
  simulation.apply(action, pair);
  return { pair, instance, networkInterface, group, subject };
}

function checkNetworkInterfaceJoinPair(
  pair: MembershipPair,
  networkInterface: NetworkInterface | undefined,
  owner: Instance | undefined,
  group: SecurityGroup | undefined,
  simulation: Simulation,
  groupsPerInstance: number,
): JoinRefusal | undefined {
  if (!networkInterface) {
    return { rule: 'networkInterfaceNotFound', regionId: pair.regionId };
  }
  if (!group) {
    return { rule: 'groupNotFound', regionId: pair.groupRegionId ?? pair.regionId };
  }
  return checkNetworkInterfaceJoin({
    networkInterface,
    group,
    owner,
    memberGroups: simulation.memberGroups(networkInterface),
    groupsPerInstance,
  });
}

function checkJoinPair(
  pair: MembershipPair,
  instance: Instance | undefined,
  group: SecurityGroup | undefined,
  simulation: Simulation,
  groupsPerInstance: number,
): JoinRefusal | undefined {
  if (!instance) {
    return { rule: 'instanceNotFound', regionId: pair.regionId };
  }
  if (!group) {
    return { rule: 'groupNotFound', regionId: pair.groupRegionId ?? pair.regionId };
  }
  return checkJoin({
    instance,
    group,
    memberGroups: simulation.memberGroups(instance),
    groupsPerInstance,
  });
}

function checkLeavePair(
  pair: MembershipPair,
  instance: Instance | undefined,
): LeaveRefusal | undefined {
  if (!instance) {
    return { rule: 'instanceNotFound', regionId: pair.regionId };
  }
  return checkLeave(instance, pair.securityGroupId);
}

/** Copies of the loaded records that planned changes are applied to, so later checks see them. */
class Simulation {
  private readonly instances = new Map<string, Instance>();
  private readonly interfaces = new Map<string, NetworkInterface>();
  private readonly groups = new Map<string, SecurityGroup>();

  constructor(
    instances: Map<string, Instance>,
    interfaces: Map<string, NetworkInterface>,
    groups: Map<string, SecurityGroup>,
  ) {
    for (const [id, instance] of instances) {
      this.instances.set(id, { ...instance, securityGroupIds: [...instance.securityGroupIds] });
    }
    for (const [id, eni] of interfaces) {
      this.interfaces.set(id, { ...eni, securityGroupIds: [...eni.securityGroupIds] });
    }
    for (const [id, group] of groups) {
      this.groups.set(id, { ...group });
    }
  }

  instance(regionId: string, instanceId: string): Instance | undefined {
    return this.instances.get(key(regionId, instanceId));
  }

  networkInterface(regionId: string, networkInterfaceId: string): NetworkInterface | undefined {
    return this.interfaces.get(key(regionId, networkInterfaceId));
  }

  group(regionId: string, securityGroupId: string): SecurityGroup | undefined {
    return this.groups.get(key(regionId, securityGroupId));
  }

  memberGroups(member: { regionId: string; securityGroupIds: string[] }): SecurityGroup[] {
    return member.securityGroupIds.flatMap((id) => this.group(member.regionId, id) ?? []);
  }

  apply(action: MembershipAction, pair: MembershipPair): void {
    const member = pair.networkInterfaceId
      ? this.networkInterface(pair.regionId, pair.networkInterfaceId)
      : this.instance(pair.regionId, pair.instanceId);
    const group = this.group(pair.groupRegionId ?? pair.regionId, pair.securityGroupId);
    if (!member || !group) {
      return;
    }
    const delta = action === 'join' ? 1 : -1;
    member.securityGroupIds =
      action === 'join'
        ? [...member.securityGroupIds, pair.securityGroupId]
        : member.securityGroupIds.filter((id) => id !== pair.securityGroupId);
    // EcsCount counts instances, so an interface changes only the remaining capacity.
    if (group.memberCount !== undefined && !pair.networkInterfaceId) {
      group.memberCount += delta;
    }
    if (group.availableAmount !== undefined) {
      group.availableAmount -= delta;
    }
  }
}

function key(regionId: string, id: string): string {
  return `${regionId}/${id}`;
}

function idsByRegion(pairs: Array<[string, string]>): Map<string, string[]> {
  const byRegion = new Map<string, Set<string>>();
  for (const [regionId, id] of pairs) {
    const ids = byRegion.get(regionId) ?? new Set<string>();
    ids.add(id);
    byRegion.set(regionId, ids);
  }
  return new Map([...byRegion].map(([regionId, ids]) => [regionId, [...ids]]));
}

function chunks<T>(values: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < values.length; index += size) {
    result.push(values.slice(index, index + size));
  }
  return result;
}
