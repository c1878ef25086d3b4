import type { ActionContext } from '../model';
import { requireRegion } from '../model';
import { paginate, readPageWindow } from '../paging';

export function describeVpcs(context: ActionContext) {
  const { params, state } = context;
  const regionId = requireRegion(context);
  const vpcId = params.get('VpcId');
  const isDefault = params.boolean('IsDefault');
  // DescribeVpcs has only PageNumber/PageSize: PageSize is 1 to 50, default 10.
  const window = readPageWindow(params, context.action, {
    maxPageSize: 50,
    defaultPageSize: 10,
  });
  const matches = state.vpcs.filter(
    (vpc) =>
      vpc.regionId === regionId &&
      (vpcId === undefined || vpc.vpcId === vpcId) &&
      (isDefault === undefined || (vpc.isDefault ?? false) === isDefault),
  );
  const page = paginate(matches, window, context.action);
  return {
    TotalCount: page.totalCount,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    Vpcs: {
      Vpc: page.items.map((vpc) => ({
        VpcId: vpc.vpcId,
        VpcName: vpc.vpcName,
        RegionId: vpc.regionId,
        Status: vpc.status ?? 'Available',
        CidrBlock: vpc.cidrBlock,
        VRouterId: vpc.vRouterId ?? `vrt-${vpc.vpcId.replace(/^vpc-/, '')}`,
        Description: vpc.description ?? '',
        CreationTime: vpc.creationTime ?? '2024-01-01T00:00:00Z',
        IsDefault: vpc.isDefault ?? false,
        VSwitchIds: { VSwitchId: vpc.vSwitchIds ?? [] },
        UserCidrs: { UserCidr: [] },
      })),
    },
  };
}
