import * as vscode from 'vscode';
import { EcsApiError } from '../ecs/errors';
import type { Instance, NetworkInterface, SecurityGroup } from '../ecs/model';
import { NoCredentialsError } from '../credentials/credentialSource';
import { describeApiError } from '../service/messages';
import type { Logger } from '../ui/logger';
import type { Session } from '../ui/session';
import { NO_CREDENTIALS_KEY } from './contextValues';
import {
  EcsNode,
  ErrorNode,
  GroupNode,
  InstanceNode,
  NetworkInterfaceNode,
  PlaceholderNode,
  RegionNode,
} from './nodes';

/** The language DescribeRegions should answer in, from VS Code's display language. */
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
    const loaded = await this.load(node);
    this.forget(node);
    this.children.set(node, loaded);
    return loaded;
  }

  /** Reloads one node's children, or the whole tree without a node. */
  refresh(node?: EcsNode): void {
    if (!node) {
      this.children.clear();
    }
    this.changed.fire(node);
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

  /** The loaded instance nodes, for pickers that start from what the tree shows. */
  findInstanceNode(regionId: string, instanceId: string): InstanceNode | undefined {
    for (const node of this.allNodes()) {
      if (node instanceof InstanceNode && node.id === `instance/${regionId}/${instanceId}`) {
        return node;
      }
    }
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async load(node: EcsNode | undefined): Promise<EcsNode[]> {
    const session = this.getSession();
    try {
      const loaded = node
        ? await node.loadChildren({ gateway: session.gateway })
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
    let message: string;
    if (error instanceof EcsApiError) {
      message = describeApiError(error, vscode.l10n.t);
    } else if (error instanceof InvalidEndpointError) {
      message = vscode.l10n.t(
        'The setting alibabaCloud.ecs.endpoint is "{0}", which is not an http:// or https:// URL with only a host and port. Fix it or leave it empty.',
        error.value,
      );
    } else if (error instanceof NoCredentialsError) {
      message = vscode.l10n.t('No credentials were found.');
    } else {
      message = error instanceof Error ? error.message : String(error);
    }
    this.logger.error(`Loading ${node?.id ?? 'regions'} failed: ${message}`);
    return new ErrorNode(node, message);
  }

  private forget(node: EcsNode | undefined): void {
    const old = this.children.get(node);
    if (!old) {
      return;
    }
    for (const child of old) {
      this.forget(child);
    }
    this.children.delete(node);
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
