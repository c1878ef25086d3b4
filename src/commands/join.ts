import * as vscode from 'vscode';
import type { JoinOutcome, JoinRequest } from '../service/joinService';
import { GroupNode, InstanceNode } from '../tree/nodes';
import type { EcsTreeProvider } from '../tree/provider';
import type { Logger } from '../ui/logger';
import type { Notifier } from '../ui/notify';
import {
  pickGroupForInstance,
  pickInstance,
  pickInstanceForGroup,
  pickRegion,
} from '../ui/pickers';
import type { Session } from '../ui/session';

export interface JoinCommandDeps {
  session: () => Session;
  tree: EcsTreeProvider;
  notifier: Notifier;
  logger: Logger;
  activeRegion: () => string;
}

/** A join given directly, as tests and keybindings pass it, with no picker. */
function isJoinRequest(value: unknown): value is JoinRequest {
  const candidate = value as Partial<JoinRequest> | undefined;
  return (
    typeof candidate?.regionId === 'string' &&
    typeof candidate.instanceId === 'string' &&
    typeof candidate.securityGroupId === 'string'
  );
}

/**
 * "Join Security Group...": from an instance node, a group is picked; from the command palette,
 * a region, an instance and a group; with a JoinRequest argument, nothing is asked.
 */
export async function joinSecurityGroup(
  deps: JoinCommandDeps,
  target?: unknown,
): Promise<JoinOutcome> {
  const session = deps.session();
  if (isJoinRequest(target)) {
    return runJoin(deps, target);
  }
  let instance = target instanceof InstanceNode ? target.instance : undefined;
  if (!instance) {
    const region = await pickRegion(session, deps.activeRegion());
    instance = await pickInstance(session, region.regionId);
  }
  const group = await pickGroupForInstance(session, instance);
  return runJoin(deps, {
    regionId: instance.regionId,
    instanceId: instance.instanceId,
    securityGroupId: group.securityGroupId,
    groupRegionId: group.regionId,
  });
}

/** "Add Instance...": the reverse, from a security group node. */
export async function addInstanceToGroup(
  deps: JoinCommandDeps,
  target?: unknown,
): Promise<JoinOutcome | undefined> {
  if (!(target instanceof GroupNode)) {
    return joinSecurityGroup(deps, target);
  }
  const group = target.group;
  const instance = await pickInstanceForGroup(deps.session(), group);
  return runJoin(deps, {
    regionId: instance.regionId,
    instanceId: instance.instanceId,
    securityGroupId: group.securityGroupId,
    groupRegionId: group.regionId,
  });
}

async function runJoin(deps: JoinCommandDeps, request: JoinRequest): Promise<JoinOutcome> {
  const session = deps.session();
  const outcome = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Window,
      title: vscode.l10n.t('Joining {0} to {1}', request.instanceId, request.securityGroupId),
    },
    () => session.joinService.join(request),
  );
  deps.notifier.joinOutcome(outcome);
  if (outcome.kind === 'joined') {
    await refreshAfterJoin(
      deps,
      outcome.instance.regionId,
      outcome.instance.instanceId,
      outcome.group.securityGroupId,
    );
  }
  return outcome;
}

/** Reloads the instance and the group that changed and redraws their nodes in place. */
async function refreshAfterJoin(
  deps: JoinCommandDeps,
  regionId: string,
  instanceId: string,
  securityGroupId: string,
): Promise<void> {
  const { gateway } = deps.session();
  let instances;
  let groups;
  try {
    [instances, groups] = await Promise.all([
      gateway.listInstances(regionId, { instanceIds: [instanceId] }),
      gateway.listSecurityGroups(regionId, { securityGroupIds: [securityGroupId] }),
    ]);
  } catch (error) {
    // The join succeeded; a failed reload must not turn that into an error, so redraw everything.
    deps.logger.warn(
      `Reloading ${instanceId} and ${securityGroupId} after the join failed: ${String(error)}`,
    );
    deps.tree.refresh();
    return;
  }
  for (const instance of instances.items) {
    deps.tree.updateInstance(instance);
  }
  for (const group of groups.items) {
    deps.tree.updateGroup(group);
  }
}
