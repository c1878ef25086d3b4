import * as vscode from 'vscode';
import { commandBoundary } from './commands/boundary';
import { FIND_COMMAND, registerFindCommands } from './commands/find';
import { COMMAND } from './commands/index';
import {
  addInstancesToGroup,
  joinSecurityGroup,
  leaveSecurityGroup,
  undoLastChange,
} from './commands/join';
import { applyChanges, UndoStore, type MembershipDeps } from './commands/membership';
import { PROFILE_COMMAND, registerProfileCommands } from './commands/profiles';
import type { MembershipPair } from './service/membershipPlan';
import { InstanceDragAndDrop } from './tree/dragAndDrop';
import { EcsNode, LOAD_MORE_COMMAND, PagedFolderNode } from './tree/nodes';
import { EcsTreeProvider } from './tree/provider';
import { AccountManager } from './ui/accounts';
import { Logger } from './ui/logger';
import { Notifier } from './ui/notify';
import { pickRegion } from './ui/pickers';
import { Session } from './ui/session';
import { SETTINGS_SECTION } from './ui/settings';
import { EcsStatusBar } from './ui/statusBar';
import { Redactor } from './util/redact';

/** API that `activate` returns: the tree and the current session, read by the extension-host tests. */
export interface EcsExtensionApi {
  tree: EcsTreeProvider;
  view: vscode.TreeView<EcsNode>;
  session(): Session;
  /** The profile, region and session state. */
  accounts: AccountManager;
  statusBar: EcsStatusBar;
  /** The extension's log folder; the output channel's file is below the host's log folder. */
  logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): EcsExtensionApi {
  const redactor = new Redactor();
  const logger = new Logger(redactor);
  const notifier = new Notifier(logger, redactor);
  const accounts = new AccountManager({ context, logger, redactor });
  let session: Session = accounts.session;
  const tree = new EcsTreeProvider(() => session, logger);
  const activeRegion = () => accounts.activeRegion();
  const membership: MembershipDeps = {
    session: () => session,
    tree,
    notifier,
    logger,
    activeRegion,
    undo: new UndoStore(),
  };
  const dropJoin = commandBoundary('drop', logger, notifier, (pairs: MembershipPair[]) =>
    applyChanges(membership, 'join', pairs, { confirm: true }),
  );
  const dragAndDrop = new InstanceDragAndDrop(async (instances, group) => {
    await dropJoin(
      instances.map((node) => ({
        regionId: node.instance.regionId,
        instanceId: node.instance.instanceId,
        securityGroupId: group.group.securityGroupId,
        groupRegionId: group.group.regionId,
      })),
    );
  });
  const view = vscode.window.createTreeView('alibabaCloud.ecs.explorer', {
    treeDataProvider: tree,
    showCollapseAll: true,
    canSelectMany: true,
    dragAndDropController: dragAndDrop,
  });
  const statusBar = new EcsStatusBar(COMMAND.quickActions);
  context.subscriptions.push(logger, tree, view, statusBar);
  const updateStatus = () => statusBar.update(session, activeRegion());
  context.subscriptions.push(
    accounts,
    accounts.onDidChangeSession((change) => {
      session = change.session;
      if (change.reload) {
        // The old account's nodes must not stay: drop every loaded node and load again.
        tree.refresh();
      }
      updateStatus();
      void session.checkCredentials().then(updateStatus);
    }),
  );

  const register = <Args extends unknown[]>(
    id: string,
    handler: (...args: Args) => Promise<unknown>,
  ) => {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, commandBoundary(id, logger, notifier, handler)),
    );
  };

  register(COMMAND.joinSecurityGroup, (clicked?: unknown, selection?: unknown) =>
    joinSecurityGroup(membership, clicked, selection),
  );
  register(COMMAND.addInstances, (clicked?: unknown) => addInstancesToGroup(membership, clicked));
  register(COMMAND.leaveSecurityGroup, (clicked?: unknown, selection?: unknown) =>
    leaveSecurityGroup(membership, clicked, selection),
  );
  register(COMMAND.undo, (undoId?: unknown) => undoLastChange(membership, undoId));
  register(COMMAND.refresh, async (target?: unknown) => {
    tree.refresh(target instanceof EcsNode ? target : undefined);
  });
  register(COMMAND.showLog, async () => logger.show());
  register(COMMAND.openSettings, async () => {
    await vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS_SECTION);
  });
  register(COMMAND.switchRegion, async (regionId?: unknown) => {
    const chosen =
      typeof regionId === 'string'
        ? regionId
        : (await pickRegion(session, activeRegion())).regionId;
    await accounts.setActiveRegion(chosen);
    logger.info(`Active region is now ${chosen}`);
    tree.refresh();
    updateStatus();
    return chosen;
  });
  registerProfileCommands(register, { accounts, logger, redactor });
  registerFindCommands(register, { session: () => session, tree, view, activeRegion, logger });
  register(LOAD_MORE_COMMAND, async (folder?: unknown) => {
    if (folder instanceof PagedFolderNode) {
      tree.loadMore(folder);
    }
  });
  register(COMMAND.quickActions, async () => {
    // The order of the Alibaba Cloud CLI's own workflow: who, where, then what.
    const actions = [
      {
        icon: 'account',
        label: vscode.l10n.t('Switch Profile...'),
        command: PROFILE_COMMAND.switchProfile,
      },
      { icon: 'globe', label: vscode.l10n.t('Switch Region...'), command: COMMAND.switchRegion },
      {
        icon: 'add',
        label: vscode.l10n.t('Join Security Group...'),
        command: COMMAND.joinSecurityGroup,
      },
      {
        icon: 'search',
        label: vscode.l10n.t('Find Instance...'),
        command: FIND_COMMAND.findInstance,
      },
      { icon: 'refresh', label: vscode.l10n.t('Refresh'), command: COMMAND.refresh },
      { icon: 'output', label: vscode.l10n.t('Show Log'), command: COMMAND.showLog },
    ].map((action) => ({ ...action, iconPath: new vscode.ThemeIcon(action.icon) }));
    const choice = await vscode.window.showQuickPick(actions, {
      title: vscode.l10n.t('Alibaba Cloud ECS'),
      placeHolder: vscode.l10n.t('Choose an action'),
    });
    if (choice) {
      await vscode.commands.executeCommand(choice.command);
    }
  });

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SETTINGS_SECTION)) {
        return;
      }
      // New clients and a new credentials chain, so nothing of the old configuration is reused.
      accounts.renew('Settings changed');
    }),
  );

  updateStatus();
  // Looking up credentials loads the credentials library, so it runs after activation returns:
  // activation itself loads none of dist/sdk.js.
  setTimeout(() => {
    void session.checkCredentials().then(() => {
      updateStatus();
      const endpoint = session.endpoint?.url ?? 'Alibaba Cloud';
      const state = session.credentialState;
      const credentials =
        state.kind === 'found'
          ? `${state.providerName}, AccessKey ID ${state.maskedAccessKeyId}`
          : 'none found';
      logger.info(`Activated. Endpoint: ${endpoint}. Credentials: ${credentials}.`);
    });
  }, 0);
  return { tree, view, session: () => session, accounts, statusBar, logUri: context.logUri };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
