import * as vscode from 'vscode';
import { CONTEXT } from './contextValues';
import { GroupNode, InstanceNode, type EcsNode } from './nodes';

const INSTANCE_MIME = 'application/vnd.code.tree.alibabacloud.ecs.explorer';

/**
 * Drags instances onto a security group node to join them, through the same checks as the
 * command. Only group nodes of a Security Groups folder accept a drop.
 */
export class InstanceDragAndDrop implements vscode.TreeDragAndDropController<EcsNode> {
  readonly dragMimeTypes = [INSTANCE_MIME];
  readonly dropMimeTypes = [INSTANCE_MIME];

  constructor(
    private readonly onDrop: (instances: InstanceNode[], group: GroupNode) => Promise<unknown>,
  ) {}

  handleDrag(source: readonly EcsNode[], data: vscode.DataTransfer): void {
    const instances = source.filter((node) => node instanceof InstanceNode);
    if (instances.length > 0) {
      data.set(INSTANCE_MIME, new vscode.DataTransferItem(instances));
    }
  }

  async handleDrop(target: EcsNode | undefined, data: vscode.DataTransfer): Promise<void> {
    if (!(target instanceof GroupNode) || target.contextValue !== CONTEXT.securityGroup) {
      return;
    }
    const item = data.get(INSTANCE_MIME);
    const dropped = (item?.value ?? []) as unknown[];
    const instances = dropped.filter((node): node is InstanceNode => node instanceof InstanceNode);
    if (instances.length > 0) {
      await this.onDrop(instances, target);
    }
  }
}
