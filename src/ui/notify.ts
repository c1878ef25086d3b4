import * as vscode from 'vscode';
import type { JoinOutcome } from '../service/joinService';
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

  /** An error with "Show Log" and, when the API returned one, "Copy Request ID". */
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

  /** Reports a join as a notification and a log line. */
  joinOutcome(outcome: JoinOutcome): void {
    switch (outcome.kind) {
      case 'joined':
        this.logger.info(`${outcome.message} requestId=${outcome.requestId}`);
        this.info(outcome.message);
        return;
      case 'refused':
        this.logger.warn(
          `JoinSecurityGroup not sent (${outcome.refusal.rule}): ${outcome.message}`,
        );
        this.warn(outcome.message);
        return;
      case 'failed':
        this.logger.error(outcome.message);
        this.error(outcome.message, outcome.error.requestId || undefined);
        return;
    }
  }
}
