import * as vscode from 'vscode';
import type { RequestRecord } from '../ecs/gateway';
import type { Redactor } from '../util/redact';

/**
 * The output channel, with one redaction step in front of it: nothing reaches the channel
 * without passing through the redactor.
 */
export class Logger implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(private readonly redactor: Redactor) {
    this.channel = vscode.window.createOutputChannel('Alibaba Cloud ECS', { log: true });
  }

  trace(message: string): void {
    this.channel.trace(this.redactor.redact(message));
  }

  debug(message: string): void {
    this.channel.debug(this.redactor.redact(message));
  }

  info(message: string): void {
    this.channel.info(this.redactor.redact(message));
  }

  warn(message: string): void {
    this.channel.warn(this.redactor.redact(message));
  }

  error(message: string): void {
    this.channel.error(this.redactor.redact(message));
  }

  /** Writes one line per API call: action, resources, region, RequestId and duration. */
  request(record: RequestRecord): void {
    const parts = [record.action];
    for (const [name, value] of Object.entries(record.resources)) {
      parts.push(`${name}=${value}`);
    }
    parts.push(`region=${record.regionId || '-'}`);
    parts.push(`requestId=${record.requestId || '-'}`);
    parts.push(`duration=${record.durationMs}ms`);
    if (record.error) {
      parts.push(`error=${record.error.code}`, `status=${record.error.statusCode}`);
      parts.push(`message=${JSON.stringify(record.error.apiMessage)}`);
      this.error(parts.join(' '));
    } else if (record.action.startsWith('Describe')) {
      this.debug(parts.join(' '));
    } else {
      this.info(parts.join(' '));
    }
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
