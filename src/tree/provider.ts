import * as vscode from 'vscode';
import { EcsApiError } from '../ecs/errors';
import type { Instance, NetworkInterface, SecurityGroup } from '../ecs/model';
import { NoCredentialsError } from '../credentials/credentialSource';
import { describeApiError } from '../service/messages';
import type { Logger } from '../ui/logger';
import type { Session } from '../ui/session';
import { readFolderPageSize } from '../ui/settings';
import { CONTEXT, NO_CREDENTIALS_KEY } from './contextValues';
import { FolderPager } from './folderPager';
import {
  ClassicNetworkNode,
  EcsNode,
  ErrorNode,
  GroupFolderNode,
  GroupNode,
  InstanceFolderNode,
  InstanceNode,
  NetworkInterfaceNode,
  PagedFolderNode,
  PlaceholderNode,
  RegionNode,
  VpcNode,
  type NodeContext,
} from './nodes';

/** The key of the root in the maps below, which are keyed by node id. */
const ROOT_KEY = '';

/** Returns the language for DescribeRegions names, from VS Code's display language. */
export function acceptLanguage(): string {
  return vscode.env.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US';
}

/**
 * The Regions → VPCs → Instances / Security Groups tree. Nodes have stable ids, and changed
 * resources are updated in place, so expansion survives a refresh.
 */
export class EcsTreeProvider implements vscode.TreeDataProvider<EcsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EcsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The children last returned for each node, to find the nodes showing a resource. */
  private readonly children = new Map<EcsNode | undefined, EcsNode[]>();
  /** The node object last returned for each id, which is the one the tree view holds. */
  private readonly nodesById = new Map<string, EcsNode>();
  /** The newest load of each node id; an older load that ends later is discarded. */
  private readonly latestLoads = new Map<string, { nodes: Promise<EcsNode[]> }>();
  /** Pagers of the folders that were expanded, to stop their loads when they are dropped. */
  private readonly pagers = new Set<FolderPager<EcsNode>>();
  /**
   * Children of instance and network interface nodes, kept until the node is refreshed or
   * updated. A paged folder redraws as its pages arrive, and the tree then requests the children
   * of every expanded instance again, which would otherwise send their API requests again.
   */
  private cachedChildren = new WeakMap<EcsNode, EcsNode[]>();
  /**
   * Folders whose redraws wait while a reveal into them runs, by id, with whether a page arrived
   * meanwhile. A redraw during TreeView.reveal makes the view drop the reveal.
   */
  private readonly heldRedraws = new Map<string, boolean>();
  /** Nodes to show in a folder that is not loaded yet, by folder id; see showInstance. */
  private readonly pendingPins = new Map<string, Array<(folder: PagedFolderNode) => EcsNode>>();

  constructor(
    private readonly getSession: () => Session,
    private readonly logger: Logger,
  ) {}

  getTreeItem(node: EcsNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getParent(node: EcsNode): EcsNode | undefined {
    return node.parent;
  }

  async getChildren(node?: EcsNode): Promise<EcsNode[]> {
    const key = node?.id ?? ROOT_KEY;
    let load = { nodes: this.loadOrReuse(node) };
    this.latestLoads.set(key, load);
    let loaded = await load.nodes;
    // When a newer load of the same node started meanwhile, this one is discarded and every
    // caller gets the newer load's nodes, so the tree ends with one copy of each node.
    for (let newest = this.latestLoads.get(key); newest && newest !== load;) {
      load = newest;
      loaded = await newest.nodes;
      newest = this.latestLoads.get(key);
    }
    this.forgetReplaced(node, loaded);
    this.children.set(node, loaded);
    for (const child of loaded) {
      this.nodesById.set(child.id, child);
    }
    return loaded;
  }

  /**
   * Reloads one node's children, or the whole tree without a node. Only that node's requests
   * are sent again, and the tree's expansion stays, because the ids stay.
   */
  refresh(node?: EcsNode): void {
    if (!node) {
      this.forgetAll();
      this.changed.fire(undefined);
      return;
    }
    this.cachedChildren.delete(node);
    if (node instanceof PagedFolderNode) {
      node.pager?.reset();
    }
    this.changed.fire(node);
  }

  /** Shows the next page of a folder, or fetches again the page that failed. */
  loadMore(folder: PagedFolderNode): void {
    folder.pager?.loadMore();
  }

  /** Replaces the data of every node showing this instance and redraws them. */
  updateInstance(instance: Instance): void {
    for (const node of this.allNodes()) {
      if (
        node instanceof InstanceNode &&
        node.instance.instanceId === instance.instanceId &&
        node.instance.regionId === instance.regionId
      ) {
        node.instance = instance;
        this.cachedChildren.delete(node);
        this.changed.fire(node);
      }
    }
  }

  /** Replaces the data of the node showing this network interface and redraws it. */
  updateNetworkInterface(eni: NetworkInterface): void {
    for (const node of this.allNodes()) {
      if (
        node instanceof NetworkInterfaceNode &&
        node.networkInterface.networkInterfaceId === eni.networkInterfaceId
      ) {
        node.networkInterface = eni;
        this.cachedChildren.delete(node);
        this.changed.fire(node);
      }
    }
  }

  /** Replaces the data of every node showing this group and redraws them. */
  updateGroup(group: SecurityGroup): void {
    for (const node of this.allNodes()) {
      if (
        node instanceof GroupNode &&
        node.group.securityGroupId === group.securityGroupId &&
        node.group.regionId === group.regionId
      ) {
        node.group = group;
        this.changed.fire(node);
      }
    }
  }

  /** Finds a loaded instance node, for pickers that start from what the tree shows. */
  findInstanceNode(regionId: string, instanceId: string): InstanceNode | undefined {
    for (const node of this.allNodes()) {
      if (node instanceof InstanceNode && node.id === `instance/${regionId}/${instanceId}`) {
        return node;
      }
    }
    return undefined;
  }

  /**
   * Makes the instance's folder show it, even when its page is not loaded, and returns a node
   * with its id and parents for `TreeView.reveal`. When the folder is not loaded, the tree loads
   * the path as it reveals the node, and the new folder shows the instance.
   */
  showInstance(instance: Instance): InstanceNode {
    const scope = { regionId: instance.regionId, vpcId: instance.vpcId };
    const folder = this.folderFor(scope, (network) => new InstanceFolderNode(network, scope));
    return this.pin(folder, (parent) => new InstanceNode(parent, instance)) as InstanceNode;
  }

  /** Like showInstance, for a group in its network's Security Groups folder. */
  showGroup(group: SecurityGroup): GroupNode {
    const scope = { regionId: group.regionId, vpcId: group.vpcId };
    const folder = this.folderFor(scope, (network) => new GroupFolderNode(network, scope));
    return this.pin(
      folder,
      (parent) => new GroupNode(parent, group, CONTEXT.securityGroup),
    ) as GroupNode;
  }

  /**
   * Reveals a node that showInstance or showGroup returned. The folder's new pages are drawn
   * after the reveal, because the view drops a reveal when the folder redraws during it.
   */
  async reveal(
    view: vscode.TreeView<EcsNode>,
    node: EcsNode,
    options: { select?: boolean; focus?: boolean; expand?: boolean },
  ): Promise<void> {
    const folderId = node.parent?.id ?? ROOT_KEY;
    this.heldRedraws.set(folderId, false);
    try {
      await view.reveal(node, options);
    } finally {
      const changed = this.heldRedraws.get(folderId);
      this.heldRedraws.delete(folderId);
      const folder = this.nodesById.get(folderId);
      if (changed && folder) {
        this.changed.fire(folder);
      }
    }
  }

  dispose(): void {
    this.forgetAll();
    this.changed.dispose();
  }

  /** The folder of a scope: the one the tree shows, or a new one with parents of the same ids. */
  private folderFor(
    scope: { regionId: string; vpcId: string },
    create: (network: EcsNode) => PagedFolderNode,
  ): PagedFolderNode {
    const region =
      this.nodesById.get(`region/${scope.regionId}`) ??
      new RegionNode({ regionId: scope.regionId, localName: '', endpoint: '', status: '' });
    const networkId = scope.vpcId ? `${region.id}/vpc/${scope.vpcId}` : `${region.id}/classic`;
    const network =
      this.nodesById.get(networkId) ??
      (scope.vpcId
        ? new VpcNode(region as RegionNode, {
            vpcId: scope.vpcId,
            vpcName: '',
            regionId: scope.regionId,
            cidrBlock: '',
            isDefault: false,
          })
        : new ClassicNetworkNode(region as RegionNode, scope.regionId));
    const folder = create(network);
    const shown = this.nodesById.get(folder.id);
    return shown instanceof PagedFolderNode ? shown : folder;
  }

  private pin(folder: PagedFolderNode, create: (parent: PagedFolderNode) => EcsNode): EcsNode {
    if (folder.pager) {
      const node = folder.pager.pin(create(folder));
      // The tree requests the folder's children again, and TreeView.reveal waits for that.
      this.changed.fire(folder);
      return node;
    }
    const pending = this.pendingPins.get(folder.id) ?? [];
    pending.push(create);
    this.pendingPins.set(folder.id, pending);
    return create(folder);
  }

  private createPager(folder: PagedFolderNode): FolderPager<EcsNode> {
    const pager = new FolderPager<EcsNode>({
      fetchPage: (nextToken) => folder.fetchPage(this.getSession().gateway, nextToken),
      keyOf: (node) => node.id,
      pageSize: readFolderPageSize(),
      onDidChange: () => {
        if (this.heldRedraws.has(folder.id)) {
          this.heldRedraws.set(folder.id, true);
        } else if (this.nodesById.get(folder.id) === folder) {
          this.changed.fire(folder);
        }
      },
    });
    for (const create of this.pendingPins.get(folder.id) ?? []) {
      pager.pin(create(folder));
    }
    this.pendingPins.delete(folder.id);
    this.pagers.add(pager);
    return pager;
  }

  private nodeContext(session: Session): NodeContext {
    return {
      gateway: session.gateway,
      pagerFor: (folder) => (folder.pager ??= this.createPager(folder)),
      describeError: (error) => this.describeError(error),
    };
  }

  /** Returns the cached children of an instance or network interface, or loads the children. */
  private async loadOrReuse(node: EcsNode | undefined): Promise<EcsNode[]> {
    const cacheable = node instanceof InstanceNode || node instanceof NetworkInterfaceNode;
    const cached = cacheable ? this.cachedChildren.get(node) : undefined;
    if (cached) {
      return cached;
    }
    const loaded = await this.load(node);
    if (cacheable && !loaded.some((child) => child instanceof ErrorNode)) {
      this.cachedChildren.set(node, loaded);
    }
    return loaded;
  }

  /**
   * Loads a node's children with the current session. When the session changed during the load
   * (a profile, region or settings switch), a successful result belongs to the old account and
   * is loaded again, at most a few times.
   */
  private async load(node: EcsNode | undefined): Promise<EcsNode[]> {
    for (let attempt = 1; ; attempt++) {
      const session = this.getSession();
      const loaded = await this.loadWith(session, node);
      // A failed load is kept: a refused credential itself renews the session, and loading again
      // would only repeat the refusal.
      const failed = loaded.some((child) => child instanceof ErrorNode);
      if (this.getSession() === session || failed || attempt >= 3) {
        return loaded;
      }
    }
  }

  private async loadWith(session: Session, node: EcsNode | undefined): Promise<EcsNode[]> {
    try {
      const loaded = node
        ? await node.loadChildren(this.nodeContext(session))
        : await this.loadRegions(session);
      if (loaded.length === 0 && node) {
        return [new PlaceholderNode(node, node.emptyLabel())];
      }
      return loaded;
    } catch (error) {
      return [this.errorNode(node, error)];
    }
  }

  private async loadRegions(session: Session): Promise<EcsNode[]> {
    if (session.invalidEndpoint !== undefined) {
      throw new InvalidEndpointError(session.invalidEndpoint);
    }
    const state = await session.checkCredentials();
    await vscode.commands.executeCommand(
      'setContext',
      NO_CREDENTIALS_KEY,
      state.kind === 'missing',
    );
    if (state.kind === 'missing') {
      // The welcome view explains how to add credentials; an empty tree shows it.
      return [];
    }
    // The regions chosen for this profile with Show or Hide Regions, else the regions setting.
    const wanted = session.regionFilter;
    const regions = await session.gateway.listRegions(acceptLanguage());
    const shown =
      wanted.length > 0 ? regions.filter((region) => wanted.includes(region.regionId)) : regions;
    return shown.map((region) => new RegionNode(region));
  }

  private errorNode(node: EcsNode | undefined, error: unknown): ErrorNode {
    const message = this.describeError(error);
    this.logger.error(`Loading ${node?.id ?? 'regions'} failed: ${message}`);
    return new ErrorNode(node, message);
  }

  private describeError(error: unknown): string {
    if (error instanceof EcsApiError) {
      return describeApiError(error, vscode.l10n.t);
    } else if (error instanceof InvalidEndpointError) {
      return vscode.l10n.t(
        'The setting alibabaCloud.ecs.endpoint is "{0}", which is not an http:// or https:// URL with only a host and port. Fix it or leave it empty.',
        error.value,
      );
    } else if (error instanceof NoCredentialsError) {
      return vscode.l10n.t('No credentials were found.');
    }
    return error instanceof Error ? error.message : String(error);
  }

  /** Forgets the old children of a node that the new list no longer has, with their subtrees. */
  private forgetReplaced(node: EcsNode | undefined, replacement: EcsNode[]): void {
    const kept = new Set(replacement);
    for (const child of this.children.get(node) ?? []) {
      if (!kept.has(child)) {
        this.forget(child);
      }
    }
  }

  private forget(node: EcsNode): void {
    for (const child of this.children.get(node) ?? []) {
      this.forget(child);
    }
    this.children.delete(node);
    if (this.nodesById.get(node.id) === node) {
      this.nodesById.delete(node.id);
    }
    if (node instanceof PagedFolderNode && node.pager) {
      node.pager.dispose();
      this.pagers.delete(node.pager);
    }
  }

  /** Drops every loaded node and stops every folder's load, before the whole tree reloads. */
  private forgetAll(): void {
    for (const pager of this.pagers) {
      pager.dispose();
    }
    this.pagers.clear();
    this.children.clear();
    this.nodesById.clear();
    this.pendingPins.clear();
    this.latestLoads.clear();
    this.cachedChildren = new WeakMap();
  }

  private *allNodes(): Iterable<EcsNode> {
    for (const list of this.children.values()) {
      yield* list;
    }
  }
}

class InvalidEndpointError extends Error {
  constructor(readonly value: string) {
    super(`Invalid endpoint: ${value}`);
  }
}
