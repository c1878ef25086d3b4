import * as vscode from 'vscode';
import { UserCancelled } from '../commands/boundary';
import { collectPages } from '../ecs/gateway';
import type { Instance, NetworkInterface, Region, SecurityGroup } from '../ecs/model';
import { groupLabel, instanceLabel, networkInterfaceLabel } from '../service/labels';
import { describeRefusalBrief } from '../service/messages';
import { isInScope } from '../service/rules';
import { statusLabel } from '../tree/nodes';
import { acceptLanguage } from '../tree/provider';
import type { Session } from './session';

const BLOCKED_ICON = new vscode.ThemeIcon('circle-slash');

interface ChoiceItem<T> extends vscode.QuickPickItem {
  value?: T;
  /** Reason the item cannot be chosen, shown as its detail. */
  refusal?: string;
}

/**
 * Shows a quick pick in which refused items are listed, with their reason, below a separator.
 * Accepting a refused item keeps the pick open and repeats the reason in the title.
 */
async function pickAllowed<T>(
  title: string,
  placeholder: string,
  allowed: ChoiceItem<T>[],
  refused: ChoiceItem<T>[],
  /** Says what was left out of the list; shown in the placeholder. */
  note?: string,
): Promise<T> {
  const pick = vscode.window.createQuickPick<ChoiceItem<T>>();
  pick.title = title;
  // A trailing separator is not drawn, so the note joins the placeholder.
  pick.placeholder = note ? `${placeholder} (${note})` : placeholder;
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const items: ChoiceItem<T>[] = [...allowed];
  if (refused.length > 0) {
    items.push({
      label: vscode.l10n.t('Cannot be chosen'),
      kind: vscode.QuickPickItemKind.Separator,
    });
    items.push(...refused);
  }

  pick.items = items;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    pick.onDidAccept(() => {
      const [selected] = pick.selectedItems;
      if (!selected || selected.value === undefined) {
        return;
      }
      if (selected.refusal) {
        pick.title = `${title}: ${selected.refusal}`;
        return;
      }
      settled = true;
      resolve(selected.value);
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      if (!settled) {
        reject(new UserCancelled());
      }
    });
    pick.show();
  });
}

export async function pickRegion(session: Session, activeRegionId: string): Promise<Region> {
  // The per-profile choice of Show or Hide Regions..., which the session holds.
  const wanted = session.regionFilter;
  const regions = (await session.gateway.listRegions(acceptLanguage())).filter(
    (region) => wanted.length === 0 || wanted.includes(region.regionId),
  );
  const items = regions.map((region) => ({
    label: region.localName || region.regionId,
    description: region.regionId === activeRegionId ? `${region.regionId} ✓` : region.regionId,
    value: region,
  }));
  items.sort(
    (a, b) =>
      Number(b.value.regionId === activeRegionId) - Number(a.value.regionId === activeRegionId),
  );
  return pickAllowed(vscode.l10n.t('Region'), vscode.l10n.t('Choose a region'), items, []);
}

function instanceItem(instance: Instance, refusal?: string): ChoiceItem<Instance> {
  const ips = [...instance.privateIpAddresses, ...instance.publicIpAddresses].join(', ');
  return {
    label: instance.instanceName || instance.instanceId,
    iconPath: refusal ? BLOCKED_ICON : undefined,
    description: `${instance.instanceId} · ${statusLabel(instance.status)}${ips ? ` · ${ips}` : ''}`,
    detail: refusal,
    refusal,
    value: instance,
  };
}

function groupItem(group: SecurityGroup, refusal?: string): ChoiceItem<SecurityGroup> {
  const type = group.type === 'enterprise' ? vscode.l10n.t('enterprise') : vscode.l10n.t('normal');
  return {
    label: group.securityGroupName || group.securityGroupId,
    iconPath: refusal ? BLOCKED_ICON : undefined,
    description: [group.securityGroupId, type, group.vpcId || vscode.l10n.t('classic')].join(' · '),
    detail: refusal,
    refusal,
    value: group,
  };
}

export async function pickInstance(session: Session, regionId: string): Promise<Instance> {
  const instances = await collectPages((token) =>
    session.gateway.listInstances(regionId, {}, token),
  );
  return pickAllowed(
    vscode.l10n.t('Instance in {0}', regionId),
    vscode.l10n.t('Search by name, ID or IP address'),
    instances.map((instance) => instanceItem(instance)),
    [],
  );
}

/**
 * Lists every group in the instances' region. A group none of the instances can join shows the
 * reason and cannot be chosen; for several instances, a group shows how many can join it.
 */
export async function pickGroupForInstances(
  session: Session,
  instances: Instance[],
): Promise<SecurityGroup> {
  const [first] = instances;
  const groups = await collectPages((token) =>
    session.gateway.listSecurityGroups(first.regionId, {}, token),
  );
  const allowed: ChoiceItem<SecurityGroup>[] = [];
  const refused: Array<ChoiceItem<SecurityGroup> & { rule: string }> = [];
  let hidden = 0;
  for (const group of groups) {
    const refusals = instances.map((instance) =>
      session.joinService.evaluate(instance, group, groups),
    );
    // Each instance is checked alone, so the group's free places cap the count.
    const eachAlone = refusals.filter((refusal) => !refusal).length;
    const joinable =
      group.availableAmount === undefined
        ? eachAlone
        : Math.min(eachAlone, Math.max(0, group.availableAmount));
    const [firstRefusal] = refusals;
    if (joinable > 0) {
      const item = groupItem(group);
      if (instances.length > 1) {
        item.detail = vscode.l10n.t('{0} of {1} can join', joinable, instances.length);
      }
      allowed.push(item);
    } else if (instances.every((instance) => !isInScope(instance, group))) {
      // A group of another VPC or network can never be chosen for these instances.
      hidden += 1;
    } else if (firstRefusal) {
      const reason = describeRefusalBrief(firstRefusal, vscode.l10n.t);
      const detail = instances.length > 1 ? vscode.l10n.t('None can join. {0}', reason) : reason;
      refused.push({ ...groupItem(group, detail), rule: firstRefusal.rule });
    }
  }
  refused.sort((a, b) => a.rule.localeCompare(b.rule));
  const title =
    instances.length === 1
      ? vscode.l10n.t('Join Security Group: {0}', instanceLabel(first))
      : vscode.l10n.t('Join Security Group: {0} instances', instances.length);
  return pickAllowed(
    title,
    vscode.l10n.t('Choose the security group to join; search by name or ID'),
    allowed,
    refused,
    hidden > 0
      ? vscode.l10n.t('{0} groups of other VPCs or networks are not listed', hidden)
      : undefined,
  );
}

/** Lists the groups of the interface's VPC; groups it cannot join show the reason. */
export async function pickGroupForNetworkInterface(
  session: Session,
  eni: NetworkInterface,
): Promise<SecurityGroup> {
  const groups = await collectPages((token) =>
    session.gateway.listSecurityGroups(eni.regionId, {}, token),
  );
  const allowed: ChoiceItem<SecurityGroup>[] = [];
  const refused: ChoiceItem<SecurityGroup>[] = [];
  const label = networkInterfaceLabel(eni);
  for (const group of groups) {
    const refusal = session.joinService.evaluateNetworkInterface(eni, group, groups);
    if (refusal) {
      if (isInScope(eni, group)) {
        refused.push(groupItem(group, describeRefusalBrief(refusal, vscode.l10n.t)));
      }
    } else {
      allowed.push(groupItem(group));
    }
  }
  return pickAllowed(
    vscode.l10n.t('Join Security Group: {0}', label),
    vscode.l10n.t('Choose the security group to join; search by name or ID'),
    allowed,
    refused,
  );
}

/**
 * Shows a multi-select pick of the instances of the group's network. Instances that cannot join
 * show the reason and cannot be checked.
 */
export async function pickInstancesForGroup(
  session: Session,
  group: SecurityGroup,
): Promise<Instance[]> {
  const { gateway } = session;
  const filter = group.vpcId ? { vpcId: group.vpcId } : { networkType: 'classic' as const };
  const [instances, groups] = await Promise.all([
    collectPages((token) => gateway.listInstances(group.regionId, filter, token)),
    collectPages((token) => gateway.listSecurityGroups(group.regionId, filter, token)),
  ]);
  const allowed: ChoiceItem<Instance>[] = [];
  const refused: ChoiceItem<Instance>[] = [];
  for (const instance of instances) {
    const refusal = session.joinService.evaluate(instance, group, groups);
    if (refusal) {
      refused.push(instanceItem(instance, describeRefusalBrief(refusal, vscode.l10n.t)));
    } else {
      allowed.push(instanceItem(instance));
    }
  }
  const pick = vscode.window.createQuickPick<ChoiceItem<Instance>>();
  pick.title = vscode.l10n.t('Add Instances to {0}', groupLabel(group));
  pick.placeholder = vscode.l10n.t('Search by name, ID or IP address');
  pick.canSelectMany = true;
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const items: ChoiceItem<Instance>[] = [...allowed];
  if (refused.length > 0) {
    items.push({
      label: vscode.l10n.t('Cannot be chosen'),
      kind: vscode.QuickPickItemKind.Separator,
    });
    items.push(...refused);
  }
  pick.items = items;
  return new Promise<Instance[]>((resolve, reject) => {
    let settled = false;
    pick.onDidChangeSelection((selection) => {
      // A refused instance cannot stay checked, so it is unchecked and the title shows the reason.
      const blocked = selection.find((item) => item.refusal);
      if (blocked) {
        pick.selectedItems = selection.filter((item) => !item.refusal);
        pick.title = `${vscode.l10n.t('Add Instances to {0}', groupLabel(group))}: ${blocked.label} — ${blocked.refusal}`;
      }
    });
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems.flatMap((item) =>
        item.value && !item.refusal ? [item.value] : [],
      );
      if (chosen.length === 0) {
        return;
      }
      settled = true;
      resolve(chosen);
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      if (!settled) {
        reject(new UserCancelled());
      }
    });
    pick.show();
  });
}
