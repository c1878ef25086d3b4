import * as vscode from 'vscode';
import type { Session } from './session';

/**
 * Shows `profile · region`, for example `dev · cn-hangzhou`. The tooltip names the credential
 * source, the masked AccessKey ID and the endpoint in use.
 */
export class EcsStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(command: string) {
    this.item = vscode.window.createStatusBarItem(
      'alibabaCloud.ecs.status',
      vscode.StatusBarAlignment.Left,
      10,
    );
    this.item.name = vscode.l10n.t('Alibaba Cloud ECS');
    this.item.command = command;
  }

  /** The text shown, such as `$(cloud) dev · cn-hangzhou`. */
  get text(): string {
    return this.item.text;
  }

  update(session: Session, regionId: string): void {
    const state = session.credentialState;
    const profile = state.kind === 'unknown' ? '…' : session.sourceLabel;
    this.item.text = `$(cloud) ${profile} · ${regionId}`;
    this.item.backgroundColor =
      state.kind === 'missing' && state.problem
        ? new vscode.ThemeColor('statusBarItem.warningBackground')
        : undefined;
    const endpoint = session.endpoint
      ? session.endpoint.url
      : session.invalidEndpoint !== undefined
        ? vscode.l10n.t('invalid setting "{0}"', session.invalidEndpoint)
        : vscode.l10n.t('Alibaba Cloud (ecs.<region>.aliyuncs.com)');
    const lines = [
      vscode.l10n.t('Alibaba Cloud ECS'),
      vscode.l10n.t('Profile: {0}', describeProfile(session)),
      vscode.l10n.t('Region: {0}', regionId),
      vscode.l10n.t('Endpoint: {0}', endpoint),
    ];
    if (state.kind === 'found') {
      lines.push(
        vscode.l10n.t(
          'Credentials: {0}, AccessKey ID {1}',
          state.providerName,
          state.maskedAccessKeyId,
        ),
      );
    } else if (state.kind === 'missing') {
      lines.push(
        state.problem
          ? vscode.l10n.t('Credentials: cannot be used, see the log')
          : vscode.l10n.t('Credentials: none found'),
      );
    }
    lines.push('', vscode.l10n.t('Click for quick actions'));
    this.item.tooltip = lines.join('\n');
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** Describes the profile with its mode and the file that defines it, for the tooltip. */
export function describeProfile(session: Session): string {
  const { selection } = session;
  switch (selection.kind) {
    case 'cliProfile':
      return `${selection.profileName ?? ''} (${selection.mode || '-'}, ${selection.configPath})`;
    case 'stored':
      return vscode.l10n.t('{0} (added in VS Code)', selection.profileName ?? '');
    case 'environment':
      return vscode.l10n.t('environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and others');
    case 'defaultChain':
      return vscode.l10n.t('default credential chain');
  }
}
