import * as vscode from 'vscode';
import { EcsApiError } from '../ecs/errors';
import { NoCredentialsError } from '../credentials/credentialSource';
import { describeApiError } from '../service/messages';
import type { Logger } from '../ui/logger';
import type { Notifier } from '../ui/notify';

/** Thrown when the user dismisses a picker; the boundary ends the command quietly. */
export class UserCancelled extends Error {
  constructor() {
    super('Cancelled by the user');
  }
}

/**
 * Wraps a command handler: a cancelled picker ends it silently, any other error is logged once
 * and shown as one line with a "Show Log" action.
 */
export function commandBoundary<Args extends unknown[], Result>(
  name: string,
  logger: Logger,
  notifier: Notifier,
  handler: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result | undefined> {
  return async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof UserCancelled) {
        return undefined;
      }
      let message: string;
      let requestId: string | undefined;
      if (error instanceof EcsApiError) {
        message = describeApiError(error, vscode.l10n.t);
        requestId = error.requestId || undefined;
      } else if (error instanceof NoCredentialsError) {
        message = vscode.l10n.t(
          'No Alibaba Cloud credentials were found. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure a profile with the Alibaba Cloud CLI (aliyun configure).',
        );
      } else {
        message = error instanceof Error ? error.message : String(error);
      }
      logger.error(`${name} failed: ${message}`);
      notifier.error(message, requestId);
      return undefined;
    }
  };
}
