import { readFileSync } from 'node:fs';

import type { EcsFixture, EcsState } from './fixtureTypes';
import { primaryNetworkInterfaceId } from './model';

/** Reads a fixture from a JSON file, or copies a fixture object, and validates it. */
export function loadFixture(source: EcsFixture | string): EcsFixture {
  const fixture: EcsFixture =
    typeof source === 'string'
      ? (JSON.parse(readFileSync(source, 'utf8')) as EcsFixture)
      : structuredClone(source);
  validateFixture(fixture, typeof source === 'string' ? source : 'fixture object');
  return fixture;
}

/** Builds a fresh state from the fixture, so changes to the state never reach the fixture. */
export function stateFromFixture(fixture: EcsFixture): EcsState {
  const copy = structuredClone(fixture);
  return {
    accounts: copy.accounts,
    regions: copy.regions,
    vpcs: copy.vpcs,
    instances: copy.instances,
    securityGroups: copy.securityGroups,
    networkInterfaces: copy.networkInterfaces ?? [],
  };
}

function checkUnique(ids: string[], kind: string, problems: string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) {
      problems.push(`duplicate ${kind} ID ${id}`);
    }
    seen.add(id);
  }
}

/**
 * Checks IDs and references: unique IDs, known regions and VPCs, and groups that belong to the
 * member's region and VPC. Raises one error that lists every problem found.
 */
export function validateFixture(fixture: EcsFixture, sourceName: string): void {
  const problems: string[] = [];
  const listNames = ['accounts', 'regions', 'vpcs', 'instances', 'securityGroups'] as const;
  for (const name of listNames) {
    if (!Array.isArray(fixture[name])) {
      problems.push(`"${name}" must be an array`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid ECS fixture ${sourceName}: ${problems.join('; ')}.`);
  }

  const enis = fixture.networkInterfaces ?? [];
  const regionIds = new Set(fixture.regions.map((region) => region.regionId));
  const vpcIds = new Set(fixture.vpcs.map((vpc) => vpc.vpcId));
  const groups = new Map(fixture.securityGroups.map((group) => [group.securityGroupId, group]));
  checkUnique(
    fixture.accounts.map((account) => account.accessKeyId),
    'AccessKey',
    problems,
  );
  checkUnique([...regionIds], 'region', problems);
  checkUnique(
    fixture.vpcs.map((vpc) => vpc.vpcId),
    'VPC',
    problems,
  );
  checkUnique(
    fixture.securityGroups.map((group) => group.securityGroupId),
    'group',
    problems,
  );
  checkUnique(
    fixture.instances.map((instance) => instance.instanceId),
    'instance',
    problems,
  );
  const eniIds = [
    ...fixture.instances.map(primaryNetworkInterfaceId).filter((id) => id !== undefined),
    ...enis.map((eni) => eni.networkInterfaceId),
  ];
  checkUnique(eniIds, 'network interface', problems);

  const members = [
    ...fixture.instances.map((instance) => ({
      id: instance.instanceId,
      regionId: instance.regionId,
      vpcId: instance.instanceNetworkType === 'vpc' ? instance.vpcId : '',
      groupIds: instance.securityGroupIds,
    })),
    ...enis.map((eni) => ({
      id: eni.networkInterfaceId,
      regionId: eni.regionId,
      vpcId: eni.vpcId,
      groupIds: eni.securityGroupIds,
    })),
  ];
  const regional = [
    ...fixture.vpcs.map((vpc) => ({ id: vpc.vpcId, regionId: vpc.regionId })),
    ...fixture.securityGroups.map((group) => ({
      id: group.securityGroupId,
      regionId: group.regionId,
    })),
    ...members,
  ];
  for (const item of regional) {
    if (!regionIds.has(item.regionId)) {
      problems.push(`${item.id} is in the unknown region ${item.regionId}`);
    }
  }
  for (const member of members) {
    if (member.vpcId === undefined || (member.vpcId !== '' && !vpcIds.has(member.vpcId))) {
      problems.push(`${member.id} has an unknown or missing VPC ${member.vpcId}`);
    }
    if (member.groupIds.length === 0) {
      problems.push(`${member.id} must be in at least one security group`);
    }
    for (const groupId of member.groupIds) {
      const group = groups.get(groupId);
      if (!group) {
        problems.push(`${member.id} refers to the unknown group ${groupId}`);
      } else if (group.regionId !== member.regionId || group.vpcId !== member.vpcId) {
        problems.push(`${member.id} is in ${groupId}, which belongs to another region or VPC`);
      }
    }
  }
  for (const eni of enis) {
    if (
      eni.instanceId !== undefined &&
      !fixture.instances.some((i) => i.instanceId === eni.instanceId)
    ) {
      problems.push(
        `${eni.networkInterfaceId} is attached to the unknown instance ${eni.instanceId}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid ECS fixture ${sourceName}: ${problems.join('; ')}.`);
  }
}
