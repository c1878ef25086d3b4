import * as vscode from 'vscode';
import type { EcsGateway } from '../ecs/gateway';
import type { Instance, NetworkInterface, Page, Region, SecurityGroup, Vpc } from '../ecs/model';
import { CONTEXT } from './contextValues';
import type { FolderPager } from './folderPager';

/** The command that a Load More row runs, with its folder as the argument. */
export const LOAD_MORE_COMMAND = 'alibabaCloud.ecs.loadMore';

/** Dependencies that nodes use to load their children. */
export interface NodeContext {
  gateway: EcsGateway;
  /** The folder's pager, which the provider creates on the folder's first expansion. */
  pagerFor(folder: PagedFolderNode): FolderPager<EcsNode>;
  /** The text of an error, as an error row shows it. */
  describeError(error: unknown): string;
}

export abstract class EcsNode {
  abstract readonly id: string;

  constructor(readonly parent: EcsNode | undefined) {}

  abstract toTreeItem(): vscode.TreeItem;

  /** Loads the children from the API. Errors propagate; the provider turns them into an error node. */
  async loadChildren(_context: NodeContext): Promise<EcsNode[]> {
    return [];
  }

  /** Returns the text shown when the node has no children. */
  emptyLabel(): string {
    return vscode.l10n.t('Nothing here');
  }

  protected item(label: string, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
    const item = new vscode.TreeItem(label, state);
    item.id = this.id;
    return item;
  }
}

const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
const None = vscode.TreeItemCollapsibleState.None;

export class RegionNode extends EcsNode {
  readonly id: string;

  constructor(readonly region: Region) {
    super(undefined);
    this.id = `region/${region.regionId}`;
  }

  toTreeItem(): vscode.TreeItem {
    const item = this.item(this.region.localName || this.region.regionId, Collapsed);
    item.description = this.region.regionId;
    item.iconPath = new vscode.ThemeIcon('globe');
    item.contextValue = CONTEXT.region;
    return item;
  }

  override async loadChildren({ gateway }: NodeContext): Promise<EcsNode[]> {
    const regionId = this.region.regionId;
    const [vpcs, classic] = await Promise.all([
      collectVpcs(gateway, regionId),
      gateway.listInstances(regionId, { networkType: 'classic' }),
    ]);
    const children: EcsNode[] = vpcs.map((vpc) => new VpcNode(this, vpc));
    if (classic.items.length > 0) {
      children.push(new ClassicNetworkNode(this, regionId));
    }
    return children;
  }

  override emptyLabel(): string {
    return vscode.l10n.t('No VPCs or classic-network instances in this region');
  }
}

async function collectVpcs(gateway: EcsGateway, regionId: string): Promise<Vpc[]> {
  const vpcs: Vpc[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await gateway.listVpcs(regionId, pageNumber);
    vpcs.push(...page.items);
    if (!page.nextToken) {
      return vpcs;
    }
  }
}

/** A scope that contains instances and groups: a VPC, or the classic network of a region. */
export interface NetworkScope {
  regionId: string;
  /** Empty for the classic network. */
  vpcId: string;
}

export class VpcNode extends EcsNode {
  readonly id: string;

  constructor(
    parent: RegionNode,
    readonly vpc: Vpc,
  ) {
    super(parent);
    this.id = `${parent.id}/vpc/${vpc.vpcId}`;
  }

  get scope(): NetworkScope {
    return {
      regionId: this.vpc.regionId || (this.parent as RegionNode).region.regionId,
      vpcId: this.vpc.vpcId,
    };
  }

  toTreeItem(): vscode.TreeItem {
    const item = this.item(this.vpc.vpcName || this.vpc.vpcId, Collapsed);
    item.description = [this.vpc.vpcId, this.vpc.cidrBlock].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('type-hierarchy');
    item.contextValue = CONTEXT.vpc;
    return item;
  }

  override async loadChildren(): Promise<EcsNode[]> {
    return [new InstanceFolderNode(this, this.scope), new GroupFolderNode(this, this.scope)];
  }
}

export class ClassicNetworkNode extends EcsNode {
  readonly id: string;

  constructor(
    parent: RegionNode,
    readonly regionId: string,
  ) {
    super(parent);
    this.id = `${parent.id}/classic`;
  }

  toTreeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Classic network'), Collapsed);
    item.iconPath = new vscode.ThemeIcon('circuit-board');
    item.contextValue = CONTEXT.classic;
    return item;
  }

  override async loadChildren(): Promise<EcsNode[]> {
    const scope = { regionId: this.regionId, vpcId: '' };
    return [new InstanceFolderNode(this, scope), new GroupFolderNode(this, scope)];
  }
}

/**
 * A folder of instances or security groups. Its FolderPager loads the items page by page, and
 * the folder shows each page as it arrives, up to the pager's limit, and then a Load More row.
 */
export abstract class PagedFolderNode extends EcsNode {
  readonly id: string;
  #pager: FolderPager<EcsNode> | undefined;

  constructor(
    parent: EcsNode,
    readonly scope: NetworkScope,
    idSuffix: string,
  ) {
    super(parent);
    this.id = `${parent.id}/${idSuffix}`;
  }

  /**
   * The folder's pager, once the folder was expanded. A private field keeps it out of the node's
   * JSON, which a drag of the folder's items carries and which must not take in every item.
   */
  get pager(): FolderPager<EcsNode> | undefined {
    return this.#pager;
  }

  set pager(pager: FolderPager<EcsNode> | undefined) {
    this.#pager = pager;
  }

  /** Fetches one API page of the folder's items, as tree nodes. */
  abstract fetchPage(gateway: EcsGateway, nextToken: string | undefined): Promise<Page<EcsNode>>;

  protected abstract folderItem(): vscode.TreeItem;

  toTreeItem(): vscode.TreeItem {
    const item = this.folderItem();
    item.description = this.countLabel();
    return item;
  }

  /**
   * Formats the number of items fetched, from the pages already loaded: `230+` while pages are
   * left, `230` once the last page is in. Returns undefined before the folder is expanded.
   */
  private countLabel(): string | undefined {
    const view = this.pager?.view();
    if (!view || (view.loadedCount === 0 && !view.complete)) {
      return undefined;
    }
    return view.complete ? String(view.loadedCount) : `${view.loadedCount}+`;
  }

  override async loadChildren(context: NodeContext): Promise<EcsNode[]> {
    const pager = context.pagerFor(this);
    this.pager = pager;
    await pager.ready();
    const view = pager.view();
    const children: EcsNode[] = [...view.items];
    if (view.loading) {
      children.push(new LoadMoreNode(this, { kind: 'loading' }));
    } else if (view.error !== undefined) {
      children.push(
        new LoadMoreNode(this, { kind: 'failed', message: context.describeError(view.error) }),
      );
    } else if (view.hasMore) {
      children.push(new LoadMoreNode(this, { kind: 'more', shown: view.listedCount }));
    }
    return children;
  }
}

export class InstanceFolderNode extends PagedFolderNode {
  constructor(parent: EcsNode, scope: NetworkScope) {
    super(parent, scope, 'instances');
  }

  protected folderItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Instances'), Collapsed);
    item.iconPath = new vscode.ThemeIcon('server');
    item.contextValue = CONTEXT.instanceFolder;
    return item;
  }

  async fetchPage(gateway: EcsGateway, nextToken: string | undefined): Promise<Page<EcsNode>> {
    const { regionId, vpcId } = this.scope;
    const filter = vpcId ? { vpcId } : { networkType: 'classic' as const };
    const page = await gateway.listInstances(regionId, filter, nextToken);
    return {
      items: page.items.map((instance) => new InstanceNode(this, instance)),
      nextToken: page.nextToken,
    };
  }

  override emptyLabel(): string {
    return vscode.l10n.t('No instances');
  }
}

export class GroupFolderNode extends PagedFolderNode {
  constructor(parent: EcsNode, scope: NetworkScope) {
    super(parent, scope, 'securityGroups');
  }

  protected folderItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Security Groups'), Collapsed);
    item.iconPath = new vscode.ThemeIcon('shield');
    item.contextValue = CONTEXT.groupFolder;
    return item;
  }

  async fetchPage(gateway: EcsGateway, nextToken: string | undefined): Promise<Page<EcsNode>> {
    const { regionId, vpcId } = this.scope;
    const filter = vpcId ? { vpcId } : { networkType: 'classic' as const };
    const page = await gateway.listSecurityGroups(regionId, filter, nextToken);
    // NOTE: a NetworkType=classic filter may still return VPC groups on some accounts; keep only
    // the groups with no VPC.
    const inScope = vpcId ? page.items : page.items.filter((group) => !group.vpcId);
    return {
      items: inScope.map((group) => new GroupNode(this, group, CONTEXT.securityGroup)),
      nextToken: page.nextToken,
    };
  }

  override emptyLabel(): string {
    return vscode.l10n.t('No security groups');
  }
}

/** The state the last row of a paged folder shows. */
export type LoadMoreState =
  { kind: 'loading' } | { kind: 'more'; shown: number } | { kind: 'failed'; message: string };

/**
 * The last row of a paged folder: a spinner while pages arrive, Load More once the folder shows
 * its limit, or a failed page, which a click fetches again.
 */
export class LoadMoreNode extends EcsNode {
  readonly id: string;

  constructor(
    readonly folder: PagedFolderNode,
    readonly state: LoadMoreState,
  ) {
    super(folder);
    this.id = `${folder.id}/loadMore`;
  }

  toTreeItem(): vscode.TreeItem {
    const { state } = this;
    const command: vscode.Command = {
      command: LOAD_MORE_COMMAND,
      title: vscode.l10n.t('Load More'),
      arguments: [this.folder],
    };
    let item: vscode.TreeItem;
    switch (state.kind) {
      case 'loading':
        item = this.item(vscode.l10n.t('Loading...'), None);
        item.iconPath = new vscode.ThemeIcon('loading~spin');
        break;
      case 'more':
        item = this.item(vscode.l10n.t('Load More'), None);
        item.description = vscode.l10n.t('{0} shown', state.shown);
        item.iconPath = new vscode.ThemeIcon('more');
        item.command = command;
        break;
      case 'failed':
        item = this.item(vscode.l10n.t('Failed to load more: {0}', state.message), None);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.tooltip = vscode.l10n.t('Click to retry');
        item.command = command;
        break;
    }
    item.contextValue = CONTEXT.loadMore;
    return item;
  }
}

const STATUS_ICONS: Record<string, vscode.ThemeIcon> = {
  Running: new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('testing.iconPassed')),
  Stopped: new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('disabledForeground')),
  Pending: new vscode.ThemeIcon('clock'),
  Starting: new vscode.ThemeIcon('arrow-circle-up'),
  Stopping: new vscode.ThemeIcon('arrow-circle-down'),
};

export function statusLabel(status: string): string {
  switch (status) {
    case 'Running':
      return vscode.l10n.t('Running');
    case 'Stopped':
      return vscode.l10n.t('Stopped');
    case 'Pending':
      return vscode.l10n.t('Pending');
    case 'Starting':
      return vscode.l10n.t('Starting');
    case 'Stopping':
      return vscode.l10n.t('Stopping');
    default:
      return status;
  }
}

export class InstanceNode extends EcsNode {
  readonly id: string;

  constructor(
    parent: EcsNode,
    /** Replaced in place after a change, so that the node keeps its id and expansion. */
    public instance: Instance,
  ) {
    super(parent);
    this.id = `instance/${instance.regionId}/${instance.instanceId}`;
  }

  toTreeItem(): vscode.TreeItem {
    const { instance } = this;
    const item = this.item(instance.instanceName || instance.instanceId, Collapsed);
    // Status first: it is what a narrow side bar must still show.
    item.description = `${statusLabel(instance.status)} · ${instance.instanceId}`;
    item.iconPath = STATUS_ICONS[instance.status] ?? new vscode.ThemeIcon('vm');
    item.contextValue = CONTEXT.instance;
    item.tooltip = this.tooltip();
    return item;
  }

  private tooltip(): vscode.MarkdownString {
    const { instance } = this;
    const lines = [
      `**${escapeMarkdown(instance.instanceName || instance.instanceId)}**`,
      '',
      `${vscode.l10n.t('ID')}: ${instance.instanceId}`,
      `${vscode.l10n.t('Status')}: ${statusLabel(instance.status)}`,
      `${vscode.l10n.t('Network')}: ${instance.networkType}${instance.vpcId ? ` (${instance.vpcId})` : ''}`,
      `${vscode.l10n.t('Private IP')}: ${instance.privateIpAddresses.join(', ') || '-'}`,
      `${vscode.l10n.t('Public IP')}: ${instance.publicIpAddresses.join(', ') || '-'}`,
      `${vscode.l10n.t('Security groups')}: ${instance.securityGroupIds.length}`,
    ];
    if (instance.operationLocks.length > 0) {
      const reasons = instance.operationLocks.map((lock) => lock.lockReason).join(', ');
      lines.push(`${vscode.l10n.t('Locks')}: ${reasons}`);
    }
    return new vscode.MarkdownString(lines.join('  \n'));
  }

  /** Lists the instance's groups, then its secondary network interfaces, which have their own. */
  override async loadChildren({ gateway }: NodeContext): Promise<EcsNode[]> {
    const { regionId, securityGroupIds } = this.instance;
    const [groups, interfaces] = await Promise.all([
      securityGroupIds.length > 0
        ? gateway.listSecurityGroups(regionId, { securityGroupIds })
        : Promise.resolve({ items: [], nextToken: '' }),
      this.instance.networkType === 'classic'
        ? Promise.resolve({ items: [], nextToken: '' })
        : gateway.listNetworkInterfaces(regionId, {
            instanceId: this.instance.instanceId,
            type: 'Secondary',
          }),
    ]);
    return [
      ...memberGroupNodes(this, securityGroupIds, groups.items, this.instance),
      ...interfaces.items.map((eni) => new NetworkInterfaceNode(this, eni)),
    ];
  }

  override emptyLabel(): string {
    return vscode.l10n.t('In no security group');
  }
}

/** Group nodes in the member's own order; a group the listing did not return shows its ID. */
function memberGroupNodes(
  parent: EcsNode,
  ids: string[],
  groups: SecurityGroup[],
  owner: { regionId: string; vpcId: string },
): GroupNode[] {
  const byId = new Map(groups.map((group) => [group.securityGroupId, group]));
  return ids.map(
    (id) => new GroupNode(parent, byId.get(id) ?? unknownGroup(id, owner), CONTEXT.memberGroup),
  );
}

/** A secondary network interface under its instance; it expands to the groups it is in. */
export class NetworkInterfaceNode extends EcsNode {
  readonly id: string;

  constructor(
    parent: InstanceNode,
    /** Replaced in place after a change, so that the node keeps its id and expansion. */
    public networkInterface: NetworkInterface,
  ) {
    super(parent);
    this.id = `${parent.id}/eni/${networkInterface.networkInterfaceId}`;
  }

  toTreeItem(): vscode.TreeItem {
    const eni = this.networkInterface;
    const item = this.item(eni.networkInterfaceName || eni.networkInterfaceId, Collapsed);
    item.description = [eni.networkInterfaceId, eni.privateIpAddress, eni.status]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = new vscode.ThemeIcon('plug');
    item.contextValue = CONTEXT.networkInterface;
    item.tooltip = vscode.l10n.t(
      'Secondary network interface with {0} security groups of its own',
      eni.securityGroupIds.length,
    );
    return item;
  }

  override async loadChildren({ gateway }: NodeContext): Promise<EcsNode[]> {
    const { regionId, securityGroupIds } = this.networkInterface;
    if (securityGroupIds.length === 0) {
      return [];
    }
    const page = await gateway.listSecurityGroups(regionId, { securityGroupIds });
    return memberGroupNodes(this, securityGroupIds, page.items, this.networkInterface);
  }

  override emptyLabel(): string {
    return vscode.l10n.t('In no security group');
  }
}

function unknownGroup(id: string, owner: { regionId: string; vpcId: string }): SecurityGroup {
  return {
    securityGroupId: id,
    securityGroupName: '',
    regionId: owner.regionId,
    vpcId: owner.vpcId,
    type: '',
    description: '',
  };
}

export class GroupNode extends EcsNode {
  readonly id: string;

  constructor(
    parent: EcsNode,
    public group: SecurityGroup,
    readonly contextValue: string,
  ) {
    super(parent);
    this.id = `${parent.id}/sg/${group.securityGroupId}`;
  }

  toTreeItem(): vscode.TreeItem {
    const { group } = this;
    const item = this.item(group.securityGroupName || group.securityGroupId, None);
    const parts = [group.securityGroupId];
    if (group.type) {
      parts.push(
        group.type === 'enterprise' ? vscode.l10n.t('enterprise') : vscode.l10n.t('normal'),
      );
    }
    if (group.memberCount !== undefined) {
      parts.push(
        group.memberCount === 1
          ? vscode.l10n.t('1 instance')
          : vscode.l10n.t('{0} instances', group.memberCount),
      );
    }
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon(group.type === 'enterprise' ? 'shield' : 'lock');
    item.contextValue = this.contextValue;
    item.tooltip = group.description || undefined;
    return item;
  }
}

/** A child shown when loading failed; clicking it retries the parent. */
export class ErrorNode extends EcsNode {
  readonly id: string;

  constructor(
    parent: EcsNode | undefined,
    readonly message: string,
  ) {
    super(parent);
    this.id = `${parent?.id ?? 'root'}/error`;
  }

  toTreeItem(): vscode.TreeItem {
    const item = this.item(vscode.l10n.t('Failed to load: {0}', this.message), None);
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.tooltip = vscode.l10n.t('Click to retry');
    item.contextValue = CONTEXT.error;
    item.command = {
      command: 'alibabaCloud.ecs.refresh',
      title: vscode.l10n.t('Retry'),
      arguments: this.parent ? [this.parent] : [],
    };
    return item;
  }
}

export class PlaceholderNode extends EcsNode {
  readonly id: string;

  constructor(
    parent: EcsNode | undefined,
    readonly label: string,
  ) {
    super(parent);
    this.id = `${parent?.id ?? 'root'}/empty`;
  }

  toTreeItem(): vscode.TreeItem {
    const item = this.item(this.label, None);
    item.contextValue = CONTEXT.placeholder;
    return item;
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
