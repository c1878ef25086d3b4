import * as vscode from 'vscode';
import type { MembershipPair } from '../service/membershipPlan';
import type { BatchSummary } from '../service/membershipRunner';
import { EcsNode, GroupNode, InstanceNode, NetworkInterfaceNode } from '../tree/nodes';
import { CONTEXT } from '../tree/contextValues';
import {
  pickGroupForInstances,
  pickGroupForNetworkInterface,
  pickInstance,
  pickInstancesForGroup,
  pickRegion,
} from '../ui/pickers';
import { applyChanges, type MembershipDeps } from './membership';

/** Tells whether the argument is a change given directly, as tests and keybindings pass it. */
function isMembershipPair(value: unknown): value is MembershipPair {
  const candidate = value as Partial<MembershipPair> | undefined;
  return (
    typeof candidate?.regionId === 'string' &&
    typeof candidate.instanceId === 'string' &&
    typeof candidate.securityGroupId === 'string'
  );
}

/**
 * Returns the nodes a tree command acts on. VS Code passes the clicked node and the selection; when the
 * clicked node is outside the selection, only the clicked node counts.
 */
export function targetNodes(clicked: unknown, selection: unknown): EcsNode[] {
  if (!(clicked instanceof EcsNode)) {
    return [];
  }
  const selected = Array.isArray(selection)
    ? selection.filter((item) => item instanceof EcsNode)
    : [];
  return selected.includes(clicked) ? selected : [clicked];
}

/**
 * "Join Security Group...": on instance nodes (one or a selection), a group is picked; from the
 * command palette, a region, an instance and a group; with a MembershipPair, nothing is asked.
 */
export async function joinSecurityGroup(
  deps: MembershipDeps,
  clicked?: unknown,
  selection?: unknown,
): Promise<BatchSummary | undefined> {
  if (isMembershipPair(clicked)) {
    return applyChanges(deps, 'join', [clicked]);
  }
  const session = deps.session();
  if (clicked instanceof NetworkInterfaceNode) {
    const eni = clicked.networkInterface;
    const group = await pickGroupForNetworkInterface(session, eni);
    return applyChanges(deps, 'join', [
      {
        regionId: eni.regionId,
        instanceId: eni.instanceId,
        networkInterfaceId: eni.networkInterfaceId,
        securityGroupId: group.securityGroupId,
      },
    ]);
  }
  const nodes = targetNodes(clicked, selection);
  let instances = nodes
    .filter((node): node is InstanceNode => node instanceof InstanceNode)
    .map((node) => node.instance);
  const ignored = nodes.length - instances.length;
  if (nodes.length > 0 && instances.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Select one or more instances to join them to a security group.'),
    );
    return undefined;
  }
  if (instances.length === 0) {
    const region = await pickRegion(session, deps.activeRegion());
    instances = [await pickInstance(session, region.regionId)];
  }
  const group = await pickGroupForInstances(session, instances);
  const pairs = instances.map((instance) => ({
    regionId: instance.regionId,
    instanceId: instance.instanceId,
    securityGroupId: group.securityGroupId,
    groupRegionId: group.regionId,
  }));
  return applyChanges(deps, 'join', pairs, { ignored });
}

/** "Add Instances...": from a security group node, a multi-select pick of instances. */
export async function addInstancesToGroup(
  deps: MembershipDeps,
  clicked?: unknown,
): Promise<BatchSummary | undefined> {
  if (!(clicked instanceof GroupNode)) {
    return joinSecurityGroup(deps, clicked);
  }
  const group = clicked.group;
  const instances = await pickInstancesForGroup(deps.session(), group);
  const pairs = instances.map((instance) => ({
    regionId: instance.regionId,
    instanceId: instance.instanceId,
    securityGroupId: group.securityGroupId,
    groupRegionId: group.regionId,
  }));
  return applyChanges(deps, 'join', pairs);
}

/** "Leave Security Group..." on groups shown under instances: the instance leaves each group. */
export async function leaveSecurityGroup(
  deps: MembershipDeps,
  clicked?: unknown,
  selection?: unknown,
): Promise<BatchSummary | undefined> {
  if (isMembershipPair(clicked)) {
    return applyChanges(deps, 'leave', [clicked]);
  }
  const nodes = targetNodes(clicked, selection);
  const memberships = nodes.filter(
    (node): node is GroupNode =>
      node instanceof GroupNode && node.contextValue === CONTEXT.memberGroup,
  );
  const pairs = memberships.flatMap((node): MembershipPair[] => {
    const owner = node.parent;
    if (owner instanceof NetworkInterfaceNode) {
      const eni = owner.networkInterface;
      return [
        {
          regionId: eni.regionId,
          instanceId: eni.instanceId,
          networkInterfaceId: eni.networkInterfaceId,
          securityGroupId: node.group.securityGroupId,
        },
      ];
    }
    if (owner instanceof InstanceNode) {
      return [
        {
          regionId: owner.instance.regionId,
          instanceId: owner.instance.instanceId,
          securityGroupId: node.group.securityGroupId,
        },
      ];
    }
    return [];
  });
  if (pairs.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Choose a security group under an instance in the explorer to leave it.'),
    );
    return undefined;
  }
  return applyChanges(deps, 'leave', pairs, { ignored: nodes.length - pairs.length });
}

/** Reverses exactly the changes of the last batch that succeeded, checked by the same rules. */
export async function undoLastChange(
  deps: MembershipDeps,
  undoId?: unknown,
): Promise<BatchSummary | undefined> {
  const last = deps.undo.take(typeof undoId === 'number' ? undoId : undefined);
  if (last === 'superseded') {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Only the last security group change can be undone, and this one was followed by another.',
      ),
    );
    return undefined;
  }
  if (!last) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('There is no security group change to undo.'),
    );
    return undefined;
  }
  const reverse = last.action === 'join' ? 'leave' : 'join';
  deps.logger.info(
    `Undo: ${reverse} for ${last.pairs.length} change(s) of the last ${last.action}`,
  );
  return applyChanges(deps, reverse, last.pairs, { isUndo: true });
}
