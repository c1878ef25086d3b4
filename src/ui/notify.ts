import * as vscode from 'vscode';
import type { Logger } from './logger';
import type { Redactor } from '../util/redact';

/**
 * Shows notifications without waiting for them: a notification's promise stays pending until the
 * user closes it, and no command may depend on that.
 */
export class Notifier {
  constructor(
    private readonly logger: Logger,
    private readonly redactor: Redactor,
  ) {}

  info(message: string): void {
    void vscode.window.showInformationMessage(this.redactor.redact(message));
  }

  warn(message: string): void {
    void vscode.window.showWarningMessage(this.redactor.redact(message));
  }

  /** Shows an error with "Show Log" and, when the API returned a request ID, "Copy Request ID". */
  error(message: string, requestId?: string): void {
    const showLog = vscode.l10n.t('Show Log');
    const copyId = vscode.l10n.t('Copy Request ID');
    const actions = requestId ? [showLog, copyId] : [showLog];
    void vscode.window
      .showErrorMessage(this.redactor.redact(message), ...actions)
      .then(async (choice) => {
        if (choice === showLog) {
          this.logger.show();
        } else if (choice === copyId && requestId) {
          await vscode.env.clipboard.writeText(requestId);
        }
      });
  }

  /**
   * Shows a notification with "Show Log" and, with an undo id, "Undo". Undo runs its own command
   * (alibabaCloud.ecs.undo with that id), so nothing waits on the notification.
   */
  withActions(severity: 'info' | 'warn' | 'error', message: string, undoId?: number): void {
    const showLog = vscode.l10n.t('Show Log');
    const undo = vscode.l10n.t('Undo');
    const actions = undoId === undefined ? [showLog] : [undo, showLog];
    const show =
      severity === 'info'
        ? vscode.window.showInformationMessage
        : severity === 'warn'
          ? vscode.window.showWarningMessage
          : vscode.window.showErrorMessage;
    void show(this.redactor.redact(message), ...actions).then(async (choice) => {
      if (choice === showLog) {
        this.logger.show();
      } else if (choice === undo) {
        await vscode.commands.executeCommand('alibabaCloud.ecs.undo', undoId);
      }
    });
  }
}
