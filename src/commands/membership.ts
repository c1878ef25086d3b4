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
  private last: { action: MembershipAction; pairs: MembershipPair[] } | undefined;

  remember(summary: BatchSummary): void {
    const pairs = summary.results
      .filter((result) => result.status === 'done')
      .map((result) => result.item.pair);
    this.last = pairs.length > 0 ? { action: summary.action, pairs } : undefined;
  }

  /** Takes the last change set; a second Undo has nothing to reverse. */
  take(): { action: MembershipAction; pairs: MembershipPair[] } | undefined {
    const last = this.last;
    this.last = undefined;
    return last;
  }

  get available(): boolean {
    return this.last !== undefined;
  }
}

export interface ApplyOptions {
  /** Selected tree items that were not instances, counted in the summary. */
  ignored?: number;
  /** Set for Undo, whose notification offers no further Undo. */
  isUndo?: boolean;
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
  // Undo reverses what the user just confirmed, so it needs no second confirmation.
  if (!options.isUndo && (pairs.length > 1 || action === 'leave')) {
    await confirm(action, plan, options);
  }

  const summary = await runWithProgress(deps, session, plan);
  for (const result of summary.results) {
    logResult(deps.logger, action, result);
  }
  if (!options.isUndo) {
    deps.undo.remember(summary);
  }
  report(deps, summary, options);
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
  const reasons = plan.skipped.map((item) => `• ${item.reason}`);
  const ignored = options.ignored ?? 0;
  if (plan.ready.length === 0) {
    const detail = reasons.join('\n');
    void vscode.window.showWarningMessage(
      action === 'join'
        ? vscode.l10n.t('None of the {0} instances can join the group.', plan.items.length)
        : vscode.l10n.t('None of the {0} instances can leave the group.', plan.items.length),
      { modal: plan.items.length > 1, detail },
    );
    throw new UserCancelled();
  }
  const lines = [
    action === 'join'
      ? vscode.l10n.t('{0} will join.', plan.ready.length)
      : vscode.l10n.t('{0} will leave.', plan.ready.length),
  ];
  if (plan.skipped.length > 0) {
    lines.push(vscode.l10n.t('{0} skipped:', plan.skipped.length), ...reasons);
  }
  if (ignored > 0) {
    lines.push(vscode.l10n.t('{0} selected items are not instances and were ignored.', ignored));
  }
  const [first] = plan.ready;
  const message =
    action === 'join'
      ? vscode.l10n.t(
          'Join {0} instances to security group {1}?',
          plan.ready.length,
          first.subject.groupLabel,
        )
      : plan.ready.length === 1
        ? vscode.l10n.t(
            'Remove instance {0} from security group {1}?',
            first.subject.instanceLabel,
            first.subject.groupLabel,
          )
        : vscode.l10n.t('Remove {0} instances from their security groups?', plan.ready.length);
  const verb = action === 'join' ? vscode.l10n.t('Join') : vscode.l10n.t('Leave');
  const choice = await vscode.window.showWarningMessage(
    message,
    { modal: true, detail: lines.join('\n') },
    verb,
  );
  if (choice !== verb) {
    throw new UserCancelled();
  }
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
  const ids = `instance=${pair.instanceId} securityGroup=${pair.securityGroupId} region=${pair.regionId}`;
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
function report(deps: MembershipDeps, summary: BatchSummary, options: ApplyOptions): void {
  const undo = !options.isUndo && summary.done > 0 ? vscode.l10n.t('Undo') : undefined;
  if (summary.results.length === 1) {
    const [result] = summary.results;
    if (result.status === 'failed') {
      deps.notifier.error(result.message, result.error.requestId || undefined);
    } else if (result.status === 'done') {
      deps.notifier.withActions('info', result.message, undo ? [undo] : []);
    } else {
      deps.notifier.warn(result.message);
    }
    return;
  }
  const parts = [
    summary.action === 'join'
      ? vscode.l10n.t('{0} joined', summary.done)
      : vscode.l10n.t('{0} left', summary.done),
    vscode.l10n.t('{0} failed', summary.failed),
    vscode.l10n.t('{0} skipped', summary.skipped + (options.ignored ?? 0)),
  ];
  if (summary.cancelled > 0) {
    parts.push(vscode.l10n.t('{0} not sent (cancelled)', summary.cancelled));
  }
  const text = parts.join(vscode.l10n.t(', '));
  let severity: 'info' | 'warn' | 'error' = 'info';
  if (summary.failed > 0) {
    severity = 'error';
  } else if (summary.done === 0) {
    severity = 'warn';
  }
  deps.notifier.withActions(severity, text, undo ? [undo] : []);
}

/** Reloads the instances and groups the batch touched, in bulk, and redraws their nodes. */
async function refreshAffected(deps: MembershipDeps, summary: BatchSummary): Promise<void> {
  const touched = summary.results.filter(
    (result) => result.status === 'done' || result.status === 'failed',
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
