import type { Instance, NetworkInterface, SecurityGroup } from '../ecs/model';

/** `name (id)`, or the ID alone when the resource has no name. */
export function instanceLabel(instance: Pick<Instance, 'instanceId' | 'instanceName'>): string {
  return instance.instanceName && instance.instanceName !== instance.instanceId
    ? `${instance.instanceName} (${instance.instanceId})`
    : instance.instanceId;
}

export function groupLabel(
  group: Pick<SecurityGroup, 'securityGroupId' | 'securityGroupName'>,
): string {
  return group.securityGroupName && group.securityGroupName !== group.securityGroupId
    ? `${group.securityGroupName} (${group.securityGroupId})`
    : group.securityGroupId;
}

export function networkInterfaceLabel(
  eni: Pick<NetworkInterface, 'networkInterfaceId' | 'networkInterfaceName'>,
): string {
  return eni.networkInterfaceName && eni.networkInterfaceName !== eni.networkInterfaceId
    ? `${eni.networkInterfaceName} (${eni.networkInterfaceId})`
    : eni.networkInterfaceId;
}
