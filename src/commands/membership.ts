// The one flow every join and leave goes through in the UI: check, confirm, send with progress,
// report every item, refresh the tree and offer Undo.
import * as vscode from 'vscode';
import { UserCancelled } from './boundary';
import {
  loadGroups,
  loadInstances,
  loadNetworkInterfaces,
  type MembershipAction,
  type MembershipPair,
  type MembershipPlan,
} from '../service/membershipPlan';
import type { BatchSummary, ItemResult } from '../service/membershipRunner';
import type { EcsTreeProvider } from '../tree/provider';
import type { Logger } from '../ui/logger';
import type { Notifier } from '../ui/notify';
import type { Session } from '../ui/session';
import { readConcurrencyPerRegion } from '../ui/settings';

export interface MembershipDeps {
  session: () => Session;
  tree: EcsTreeProvider;
  notifier: Notifier;
  logger: Logger;
  activeRegion: () => string;
  undo: UndoStore;
}

/** The changes of the last batch that succeeded, kept so that Undo can reverse exactly those. */
export class UndoStore {
  private last: { id: number; action: MembershipAction; pairs: MembershipPair[] } | undefined;
  private nextId = 1;

  /** Keeps the done changes of the batch and returns the id an Undo button passes back. */
  remember(summary: BatchSummary): number | undefined {
    const pairs = summary.results
      .filter((result) => result.status === 'done')
      .map((result) => result.item.pair);
    if (pairs.length === 0) {
      return undefined;
    }
    const id = this.nextId++;
    this.last = { id, action: summary.action, pairs };
    return id;
  }

  /**
   * Takes the change set to reverse: the last one, or the one with this id while it is still
   * the last. A second Undo of the same change set has nothing to reverse.
   */
  take(
    id?: number,
  ): { action: MembershipAction; pairs: MembershipPair[] } | 'superseded' | undefined {
    const last = this.last;
    if (id !== undefined && last?.id !== id) {
      return id < this.nextId && last !== undefined ? 'superseded' : undefined;
    }
    this.last = undefined;
    return last;
  }
}

export interface ApplyOptions {
  /** Selected tree items that were not instances, counted in the summary. */
  ignored?: number;
  /** Set for Undo, whose notification offers no further Undo. */
  isUndo?: boolean;
  /** Asks before a single change too, as a drop onto a group does. */
  confirm?: boolean;
}

/** Checks the changes, requests confirmation where needed, sends them and reports the result. */
export async function applyChanges(
  deps: MembershipDeps,
  action: MembershipAction,
  pairs: MembershipPair[],
  options: ApplyOptions = {},
): Promise<BatchSummary> {
  const session = deps.session();
  const plan = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Window,
      title: vscode.l10n.t('Checking {0} changes', pairs.length),
    },
    () => session.joinService.plan(action, pairs),
  );
  for (const item of plan.skipped) {
    deps.logger.warn(`${actionName(action)} not sent (${item.refusal?.rule}): ${item.reason}`);
  }
  // With nothing to send, the refusals are reported at once and no dialog is needed.
  // Undo reverses what the user just confirmed, so it needs no second confirmation either.
  const needsConfirmation =
    plan.ready.length > 0 &&
    !options.isUndo &&
    (pairs.length > 1 || action === 'leave' || options.confirm === true);
  if (needsConfirmation) {
    await confirm(action, plan, options);
  }

  const summary = await runWithProgress(deps, session, plan);
  for (const result of summary.results) {
    logResult(deps.logger, action, result);
  }
  const undoId = options.isUndo ? undefined : deps.undo.remember(summary);
  report(deps, summary, options, undoId);
  await refreshAffected(deps, summary);
  return summary;
}

function actionName(action: MembershipAction): string {
  return action === 'join' ? 'JoinSecurityGroup' : 'LeaveSecurityGroup';
}

/** Shows the plan in a modal: how many will change, how many are skipped and why. */
async function confirm(
  action: MembershipAction,
  plan: MembershipPlan,
  options: ApplyOptions,
): Promise<void> {
  const ready = plan.ready.length;
  const lines = [
    action === 'join'
      ? vscode.l10n.t('{0} will join.', ready)
      : vscode.l10n.t('{0} will leave.', ready),
  ];
  if (plan.skipped.length > 0) {
    lines.push(vscode.l10n.t('{0} skipped:', plan.skipped.length));
    lines.push(...plan.skipped.map((item) => `• ${item.reason}`));
  }
  const ignored = options.ignored ?? 0;
  if (ignored === 1) {
    lines.push(vscode.l10n.t('1 selected item is not an instance and was ignored.'));
  } else if (ignored > 1) {
    lines.push(vscode.l10n.t('{0} selected items are not instances and were ignored.', ignored));
  }
  const verb = action === 'join' ? vscode.l10n.t('Join') : vscode.l10n.t('Leave');
  const choice = await vscode.window.showWarningMessage(
    confirmationQuestion(action, plan),
    { modal: true, detail: lines.join('\n') },
    verb,
  );
  if (choice !== verb) {
    throw new UserCancelled();
  }
}

/** Returns the question of the confirmation dialog, naming the change when there is only one. */
function confirmationQuestion(action: MembershipAction, plan: MembershipPlan): string {
  const [first] = plan.ready;
  const { instanceLabel: member, groupLabel: group } = first.subject;
  const eni = first.subject.kind === 'networkInterface';
  if (plan.ready.length > 1) {
    return action === 'join'
      ? vscode.l10n.t('Join {0} instances to security group {1}?', plan.ready.length, group)
      : vscode.l10n.t('Remove {0} instances from their security groups?', plan.ready.length);
  }
  if (action === 'join') {
    return eni
      ? vscode.l10n.t('Join network interface {0} to security group {1}?', member, group)
      : vscode.l10n.t('Join instance {0} to security group {1}?', member, group);
  }
  return eni
    ? vscode.l10n.t('Remove network interface {0} from security group {1}?', member, group)
    : vscode.l10n.t('Remove instance {0} from security group {1}?', member, group);
}

async function runWithProgress(
  deps: MembershipDeps,
  session: Session,
  plan: MembershipPlan,
): Promise<BatchSummary> {
  const total = plan.ready.length;
  const title =
    plan.action === 'join'
      ? vscode.l10n.t('Joining security groups')
      : vscode.l10n.t('Leaving security groups');
  return vscode.window.withProgress(
    {
      // One change ends in a moment: the status bar is enough, and no toast lingers beside the result.
      location: total > 1 ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
      title,
      cancellable: total > 1,
    },
    (progress, token) => {
      const signal = { cancelled: false };
      token.onCancellationRequested(() => {
        signal.cancelled = true;
        deps.logger.warn('Cancelled: no further requests are sent.');
      });
      progress.report({ message: vscode.l10n.t('{0} of {1}', 0, total) });
      return session.joinService.run(plan, {
        concurrencyPerRegion: readConcurrencyPerRegion(),
        signal,
        onItem: (_result, finished) => {
          progress.report({
            increment: 100 / total,
            message: vscode.l10n.t('{0} of {1}', finished, total),
          });
        },
        onRetry: (item, event) => {
          deps.logger.warn(
            `Retrying ${item.pair.instanceId} after ${event.error.code} (attempt ${event.attempt + 1} of ${event.maxAttempts}, waiting ${event.delayMs} ms)`,
          );
          progress.report({
            message: vscode.l10n.t(
              'Retrying {0} after {1}: attempt {2} of {3}',
              item.pair.instanceId,
              event.error.code,
              event.attempt + 1,
              event.maxAttempts,
            ),
          });
        },
      });
    },
  );
}

function logResult(logger: Logger, action: MembershipAction, result: ItemResult): void {
  const { pair } = result.item;
  const target = pair.networkInterfaceId
    ? `networkInterface=${pair.networkInterfaceId}`
    : `instance=${pair.instanceId}`;
  const ids = `${target} securityGroup=${pair.securityGroupId} region=${pair.regionId}`;
  switch (result.status) {
    case 'done':
      logger.info(
        `${actionName(action)} done ${ids} requestId=${result.requestId}: ${result.message}`,
      );
      return;
    case 'failed':
      logger.error(
        `${actionName(action)} failed ${ids} requestId=${result.error.requestId || '-'}: ${result.message}`,
      );
      return;
    case 'cancelled':
      logger.warn(`${actionName(action)} not sent ${ids}: cancelled`);
      return;
    case 'skipped':
      return;
  }
}

/** Shows one notification for the whole batch, or the message of a single change. */
function report(
  deps: MembershipDeps,
  summary: BatchSummary,
  options: ApplyOptions,
  undoId: number | undefined,
): void {
  if (summary.results.length === 1) {
    const [result] = summary.results;
    if (result.status === 'failed') {
      deps.notifier.error(result.message, result.error.requestId || undefined);
    } else {
      deps.notifier.withActions(result.status === 'done' ? 'info' : 'warn', result.message, undoId);
    }
    return;
  }
  const parts = [
    summary.action === 'join'
      ? vscode.l10n.t('{0} joined', summary.done)
      : vscode.l10n.t('{0} left', summary.done),
    vscode.l10n.t('{0} failed', summary.failed),
    vscode.l10n.t('{0} skipped', summary.skipped),
  ];
  if (summary.cancelled > 0) {
    parts.push(vscode.l10n.t('{0} not sent (cancelled)', summary.cancelled));
  }
  if (options.ignored) {
    parts.push(vscode.l10n.t('{0} ignored (not instances)', options.ignored));
  }
  const text = parts.join(vscode.l10n.t(', '));
  let severity: 'info' | 'warn' | 'error' = 'info';
  if (summary.failed > 0) {
    severity = 'error';
  } else if (summary.done === 0) {
    severity = 'warn';
  }
  deps.notifier.withActions(severity, text, undoId);
}

/** Reloads the instances and groups the batch touched, in bulk, and redraws their nodes. */
async function refreshAffected(deps: MembershipDeps, summary: BatchSummary): Promise<void> {
  // A refusal for "not a member" or "already a member" means the tree was stale: reload too.
  const touched = summary.results.filter(
    (result) =>
      result.status === 'done' ||
      result.status === 'failed' ||
      (result.status === 'skipped' &&
        (result.item.refusal?.rule === 'notMember' ||
          result.item.refusal?.rule === 'alreadyMember')),
  );
  if (touched.length === 0) {
    return;
  }
  const { gateway } = deps.session();
  try {
    const pairs = touched.map((result) => result.item.pair);
    const [interfaces, instances, groups] = await Promise.all([
      loadNetworkInterfaces(gateway, pairs),
      loadInstances(
        gateway,
        pairs.filter((pair) => !pair.networkInterfaceId),
      ),
      loadGroups(
        gateway,
        pairs.map((pair) => [pair.groupRegionId ?? pair.regionId, pair.securityGroupId]),
      ),
    ]);
    interfaces.forEach((eni) => deps.tree.updateNetworkInterface(eni));
    instances.forEach((instance) => deps.tree.updateInstance(instance));
    groups.forEach((group) => deps.tree.updateGroup(group));
  } catch (error) {
    // The changes are made; a failed reload must not turn them into an error, so redraw all.
    deps.logger.warn(`Reloading the changed resources failed: ${String(error)}`);
    deps.tree.refresh();
  }
}
