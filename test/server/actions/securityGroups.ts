import { securityGroupNotFound } from '../errors';
import type { FixtureSecurityGroup } from '../fixtureTypes';
import type { ActionContext } from '../model';
import {
  findGroup,
  groupCapacity,
  groupNetworkType,
  instanceCount,
  memberCount,
  requireRegion,
} from '../model';
import { matchesTags, renderTags } from '../params';
import { paginate, readPageWindow } from '../paging';

function buildFilter(context: ActionContext, regionId: string) {
  const { params } = context;
  const vpcId = params.get('VpcId');
  const securityGroupId = params.get('SecurityGroupId');
  const securityGroupIds = params.jsonArray('SecurityGroupIds', 100);
  const name = params.get('SecurityGroupName');
  const type = params.oneOf('SecurityGroupType', ['normal', 'enterprise'] as const);
  const networkType = params.oneOf('NetworkType', ['vpc', 'classic'] as const);
  const resourceGroupId = params.get('ResourceGroupId');
  const serviceManaged = params.boolean('ServiceManaged');
  const tags = params.tags();

  return (group: FixtureSecurityGroup): boolean =>
    group.regionId === regionId &&
    (vpcId === undefined || group.vpcId === vpcId) &&
    (securityGroupId === undefined || group.securityGroupId === securityGroupId) &&
    (securityGroupIds === undefined || securityGroupIds.includes(group.securityGroupId)) &&
    (name === undefined || group.securityGroupName === name) &&
    (type === undefined || group.securityGroupType === type) &&
    (networkType === undefined || groupNetworkType(group) === networkType) &&
    (resourceGroupId === undefined || group.resourceGroupId === resourceGroupId) &&
    (serviceManaged === undefined || (group.serviceManaged ?? false) === serviceManaged) &&
    matchesTags(group.tags, tags);
}

function renderGroup(group: FixtureSecurityGroup, context: ActionContext) {
  const permissions = group.permissions ?? [];
  return {
    SecurityGroupId: group.securityGroupId,
    SecurityGroupName: group.securityGroupName,
    Description: group.description ?? '',
    SecurityGroupType: group.securityGroupType,
    VpcId: group.vpcId,
    CreationTime: group.creationTime ?? '2024-01-01T00:00:00Z',
    ResourceGroupId: group.resourceGroupId ?? '',
    ServiceManaged: group.serviceManaged ?? false,
    RuleCount: permissions.length,
    GroupToGroupRuleCount: permissions.filter((rule) => rule.sourceGroupId !== undefined).length,
    EcsCount: instanceCount(context.state, group.securityGroupId),
    AvailableInstanceAmount: Math.max(
      0,
      groupCapacity(group) - memberCount(context.state, group.securityGroupId),
    ),
    Tags: renderTags(group.tags),
  };
}

export function describeSecurityGroups(context: ActionContext) {
  const regionId = requireRegion(context);
  const matches = context.state.securityGroups
    .filter(buildFilter(context, regionId))
    .sort((a, b) => (a.securityGroupId < b.securityGroupId ? 1 : -1));
  // NOTE: the API page gives MaxResults up to 100 and PageSize 1 to 50 but does not say what
  // values outside those ranges return. This server rejects them with InvalidParameter.
  const window = readPageWindow(context.params, context.action, {
    maxResults: { min: 1, max: 100, default: 10 },
    clampMaxResults: false,
    maxPageSize: 50,
    defaultPageSize: 10,
  });
  const page = paginate(matches, window, context.action);
  return {
    RegionId: regionId,
    ...(window.mode === 'page' ? { TotalCount: page.totalCount } : {}),
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    NextToken: page.nextToken,
    SecurityGroups: { SecurityGroup: page.items.map((group) => renderGroup(group, context)) },
  };
}

export function describeSecurityGroupAttribute(context: ActionContext) {
  const { params, state } = context;
  const regionId = requireRegion(context);
  const securityGroupId = params.require('SecurityGroupId');
  const direction = params.oneOf('Direction', ['all', 'ingress', 'egress'] as const) ?? 'all';
  const group = findGroup(state, securityGroupId, regionId);
  if (!group) {
    throw securityGroupNotFound(securityGroupId);
  }
  const nicType = groupNetworkType(group) === 'vpc' ? 'intranet' : 'internet';
  const permissions = (group.permissions ?? [])
    .filter((rule) => direction === 'all' || rule.direction === direction)
    .map((rule) => {
      const sourceGroup = rule.sourceGroupId
        ? state.securityGroups.find((candidate) => candidate.securityGroupId === rule.sourceGroupId)
        : undefined;
      return {
        SecurityGroupRuleId: rule.securityGroupRuleId,
        Direction: rule.direction,
        IpProtocol: rule.ipProtocol,
        PortRange: rule.portRange,
        SourcePortRange: '',
        Policy: rule.policy ?? 'Accept',
        Priority: String(rule.priority ?? 1),
        NicType: nicType,
        SourceCidrIp: rule.sourceCidrIp ?? '',
        DestCidrIp: rule.destCidrIp ?? '',
        Ipv6SourceCidrIp: '',
        Ipv6DestCidrIp: '',
        SourceGroupId: rule.sourceGroupId ?? '',
        SourceGroupName: sourceGroup?.securityGroupName ?? '',
        SourceGroupOwnerAccount: '',
        DestGroupId: '',
        DestGroupName: '',
        DestGroupOwnerAccount: '',
        SourcePrefixListId: '',
        SourcePrefixListName: '',
        DestPrefixListId: '',
        DestPrefixListName: '',
        PortRangeListId: '',
        PortRangeListName: '',
        Description: rule.description ?? '',
        CreateTime: group.creationTime ?? '2024-01-01T00:00:00Z',
      };
    });
  // NOTE: the fixture groups have few rules, so all of them are returned on one page and
  // MaxResults/NextToken are ignored.
  return {
    RegionId: regionId,
    SecurityGroupId: group.securityGroupId,
    SecurityGroupName: group.securityGroupName,
    Description: group.description ?? '',
    VpcId: group.vpcId,
    InnerAccessPolicy:
      group.innerAccessPolicy ?? (group.securityGroupType === 'enterprise' ? 'Drop' : 'Accept'),
    NextToken: '',
    SnapshotPolicyIds: { SnapshotPolicyId: [] },
    Permissions: { Permission: permissions },
  };
}
