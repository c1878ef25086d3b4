import { regionNotFound } from './errors';
import type {
  EcsState,
  FixtureInstance,
  FixtureNetworkInterface,
  FixtureSecurityGroup,
  NetworkType,
} from './fixtureTypes';
import { DEFAULT_MAX_INSTANCES } from './fixtureTypes';
import type { RequestParams } from './params';

/** Parameters and data that an action handler works on. */
export interface ActionContext {
  action: string;
  params: RequestParams;
  state: EcsState;
}

/** Returns the response body without RequestId, which the server adds. */
export type ActionHandler = (context: ActionContext) => Record<string, unknown>;

/** Reads the required RegionId and checks that the region exists. */
export function requireRegion(context: ActionContext): string {
  const regionId = context.params.require('RegionId');
  if (!context.state.regions.some((region) => region.regionId === regionId)) {
    throw regionNotFound(regionId);
  }
  return regionId;
}

export function primaryNetworkInterfaceId(instance: FixtureInstance): string | undefined {
  if (instance.instanceNetworkType !== 'vpc') {
    return undefined;
  }
  return instance.primaryNetworkInterfaceId ?? `eni-${instance.instanceId.replace(/^i-/, '')}`;
}

/** Network type of a group: classic groups have an empty VpcId. */
export function groupNetworkType(group: FixtureSecurityGroup): NetworkType {
  return group.vpcId === '' ? 'classic' : 'vpc';
}

export function findInstance(state: EcsState, instanceId: string): FixtureInstance | undefined {
  return state.instances.find((instance) => instance.instanceId === instanceId);
}

export function findGroup(
  state: EcsState,
  securityGroupId: string,
  regionId: string,
): FixtureSecurityGroup | undefined {
  return state.securityGroups.find(
    (group) => group.securityGroupId === securityGroupId && group.regionId === regionId,
  );
}

/** Number of instances whose primary ENI is in the group, reported as EcsCount. */
export function instanceCount(state: EcsState, securityGroupId: string): number {
  return state.instances.filter((instance) => instance.securityGroupIds.includes(securityGroupId))
    .length;
}

/** Members that count against the group's capacity: instances plus secondary ENIs. */
export function memberCount(state: EcsState, securityGroupId: string): number {
  const enis = state.networkInterfaces.filter((eni) =>
    eni.securityGroupIds.includes(securityGroupId),
  );
  return instanceCount(state, securityGroupId) + enis.length;
}

export function groupCapacity(group: FixtureSecurityGroup): number {
  return group.maxInstances ?? DEFAULT_MAX_INSTANCES;
}

/** Lookup result for the ENI IDs that DescribeNetworkInterfaces and Join/Leave accept. */
export type NetworkInterfaceRef =
  | { type: 'Primary'; id: string; instance: FixtureInstance }
  | { type: 'Secondary'; id: string; eni: FixtureNetworkInterface };

/** Lists every ENI of the region: the derived primary ENIs first, then the secondary ones. */
export function listNetworkInterfaces(state: EcsState, regionId: string): NetworkInterfaceRef[] {
  const refs: NetworkInterfaceRef[] = [];
  for (const instance of state.instances) {
    const id = primaryNetworkInterfaceId(instance);
    if (id !== undefined && instance.regionId === regionId) {
      refs.push({ type: 'Primary', id, instance });
    }
  }
  for (const eni of state.networkInterfaces) {
    if (eni.regionId === regionId) {
      refs.push({ type: 'Secondary', id: eni.networkInterfaceId, eni });
    }
  }
  return refs;
}

export function findNetworkInterface(
  state: EcsState,
  networkInterfaceId: string,
  regionId: string,
): NetworkInterfaceRef | undefined {
  return listNetworkInterfaces(state, regionId).find((ref) => ref.id === networkInterfaceId);
}

/** Matches `pattern` in which `*` stands for any run of characters, as InstanceName does. */
export function matchesWildcard(value: string, pattern: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's').test(value);
}
