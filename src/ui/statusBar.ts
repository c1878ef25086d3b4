import * as vscode from 'vscode';
import type { Session } from './session';

/** Shows the active region and the credential source; the tooltip names the endpoint in use. */
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

  update(session: Session, regionId: string): void {
    const state = session.credentialState;
    const source =
      state.kind === 'found'
        ? sourceLabel(state.providerName)
        : state.kind === 'missing'
          ? vscode.l10n.t('no credentials')
          : '…';
    this.item.text = `$(cloud) ${source} · ${regionId}`;
    const endpoint = session.endpoint
      ? session.endpoint.url
      : session.invalidEndpoint !== undefined
        ? vscode.l10n.t('invalid setting "{0}"', session.invalidEndpoint)
        : vscode.l10n.t('Alibaba Cloud (ecs.<region>.aliyuncs.com)');
    const lines = [
      vscode.l10n.t('Alibaba Cloud ECS'),
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
      lines.push(vscode.l10n.t('Credentials: none found'));
    }
    lines.push('', vscode.l10n.t('Click for quick actions'));
    this.item.tooltip = lines.join('\n');
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** A short name for the provider that the credentials chain reports, such as `default/env`. */
function sourceLabel(providerName: string): string {
  const inner = providerName.split('/').pop() ?? providerName;
  switch (inner) {
    case 'env':
      return vscode.l10n.t('environment');
    case 'cli_profile':
      return vscode.l10n.t('CLI profile');
    case 'profile':
      return vscode.l10n.t('credentials file');
    case 'ecs_ram_role':
      return vscode.l10n.t('ECS RAM role');
    case 'oidc_role_arn':
      return vscode.l10n.t('OIDC');
    case 'credential_uri':
      return vscode.l10n.t('credentials URI');
    default:
      return inner;
  }
}
