// Plans joins and leaves in bulk: loads every instance and group involved with as few calls as
// the API allows, then checks each change against the rules as if the earlier ones were done.
import { PAGE_LIMITS, type CallOptions, type EcsGateway } from '../ecs/gateway';
import type { Instance, SecurityGroup } from '../ecs/model';
import type { Translate } from '../i18n/translate';
import { groupLabel, instanceLabel } from './labels';
import { describeLeaveRefusal, describeRefusal, type JoinSubject } from './messages';
import { checkJoin, checkLeave, type JoinRefusal, type LeaveRefusal } from './rules';

export type MembershipAction = 'join' | 'leave';

/** One instance and one group to join or leave. */
export interface MembershipPair {
  regionId: string;
  instanceId: string;
  securityGroupId: string;
  /** The group's region when it differs from the instance's; only a join can name one. */
  groupRegionId?: string;
}

export interface PlannedChange {
  pair: MembershipPair;
  instance?: Instance;
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

/** Loads instances by ID, at most 100 per DescribeInstances call, grouped by region. */
export async function loadInstances(
  gateway: EcsGateway,
  wanted: Array<{ regionId: string; instanceId: string }>,
  options?: CallOptions,
): Promise<Map<string, Instance>> {
  const found = new Map<string, Instance>();
  for (const [regionId, ids] of idsByRegion(
    wanted.map((item) => [item.regionId, item.instanceId]),
  )) {
    for (const chunk of chunks(ids, PAGE_LIMITS.idsPerCall)) {
      const page = await gateway.listInstances(
        regionId,
        { instanceIds: chunk },
        undefined,
        options,
      );
      for (const instance of page.items) {
        found.set(key(regionId, instance.instanceId), instance);
      }
    }
  }
  return found;
}

/** Loads groups by ID, at most 100 per DescribeSecurityGroups call, grouped by region. */
export async function loadGroups(
  gateway: EcsGateway,
  wanted: Array<[regionId: string, securityGroupId: string]>,
  options?: CallOptions,
): Promise<Map<string, SecurityGroup>> {
  const found = new Map<string, SecurityGroup>();
  for (const [regionId, ids] of idsByRegion(wanted)) {
    for (const chunk of chunks(ids, PAGE_LIMITS.idsPerCall)) {
      const page = await gateway.listSecurityGroups(
        regionId,
        { securityGroupIds: chunk },
        undefined,
        options,
      );
      for (const group of page.items) {
        found.set(key(regionId, group.securityGroupId), group);
      }
    }
  }
  return found;
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
  const { gateway, translate: t } = planner;
  const instances = await loadInstances(gateway, pairs, options);
  const groupIds: Array<[string, string]> = pairs.map((pair) => [
    pair.groupRegionId ?? pair.regionId,
    pair.securityGroupId,
  ]);
  for (const instance of instances.values()) {
    groupIds.push(
      ...instance.securityGroupIds.map((id): [string, string] => [instance.regionId, id]),
    );
  }
  const groups = await loadGroups(gateway, groupIds, options);

  const simulation = new Simulation(instances, groups);
  const items = pairs.map((pair): PlannedChange => {
    const groupRegionId = pair.groupRegionId ?? pair.regionId;
    const instance = simulation.instance(pair.regionId, pair.instanceId);
    const group = simulation.group(groupRegionId, pair.securityGroupId);
    const subject = {
      instanceLabel: instance ? instanceLabel(instance) : pair.instanceId,
      groupLabel: group ? groupLabel(group) : pair.securityGroupId,
    };
    const refusal =
      action === 'join'
        ? checkJoinPair(pair, instance, group, simulation, planner.groupsPerInstance())
        : checkLeavePair(pair, instance);
    if (refusal) {
      const reason =
        action === 'join'
          ? describeRefusal(refusal as JoinRefusal, subject, t)
          : describeLeaveRefusal(refusal as LeaveRefusal, subject, t);
      return { pair, instance, group, subject, refusal, reason };
    }
    simulation.apply(action, pair);
    return { pair, instance, group, subject };
  });
  return {
    action,
    items,
    ready: items.filter((item) => !item.refusal),
    skipped: items.filter((item) => item.refusal),
  };
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
  private readonly groups = new Map<string, SecurityGroup>();

  constructor(instances: Map<string, Instance>, groups: Map<string, SecurityGroup>) {
    for (const [id, instance] of instances) {
      this.instances.set(id, { ...instance, securityGroupIds: [...instance.securityGroupIds] });
    }
    for (const [id, group] of groups) {
      this.groups.set(id, { ...group });
    }
  }

  instance(regionId: string, instanceId: string): Instance | undefined {
    return this.instances.get(key(regionId, instanceId));
  }

  group(regionId: string, securityGroupId: string): SecurityGroup | undefined {
    return this.groups.get(key(regionId, securityGroupId));
  }

  memberGroups(instance: Instance): SecurityGroup[] {
    return instance.securityGroupIds.flatMap((id) => this.group(instance.regionId, id) ?? []);
  }

  apply(action: MembershipAction, pair: MembershipPair): void {
    const instance = this.instance(pair.regionId, pair.instanceId);
    const group = this.group(pair.groupRegionId ?? pair.regionId, pair.securityGroupId);
    if (!instance || !group) {
      return;
    }
    const delta = action === 'join' ? 1 : -1;
    instance.securityGroupIds =
      action === 'join'
        ? [...instance.securityGroupIds, pair.securityGroupId]
        : instance.securityGroupIds.filter((id) => id !== pair.securityGroupId);
    if (group.memberCount !== undefined) {
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
