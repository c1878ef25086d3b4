import * as vscode from 'vscode';
import {
  DefaultChainCredentials,
  maskAccessKeyId,
  type CredentialProvider,
} from '../credentials/credentialSource';
import type { EndpointOverride } from '../ecs/endpoint';
import { SdkEcsGateway, type EcsGateway } from '../ecs/gateway';
import { JoinService } from '../service/joinService';
import type { Redactor } from '../util/redact';
import type { Logger } from './logger';
import { readEndpoint, readGroupsPerInstance } from './settings';

/** What the status bar and the welcome view show about the credentials in use. */
export type CredentialState =
  | { kind: 'unknown' }
  | { kind: 'found'; providerName: string; maskedAccessKeyId: string }
  | { kind: 'missing'; details: string };

/**
 * The gateway, credentials and join service for the current settings. Rebuilt from scratch when
 * the settings change, so no client or cached credential of the old configuration survives.
 */
export class Session {
  readonly gateway: EcsGateway;
  readonly joinService: JoinService;
  readonly credentials: CredentialProvider;
  /** The endpoint override in force, or undefined for the Alibaba Cloud endpoints. */
  readonly endpoint: EndpointOverride | undefined;
  /** The endpoint setting's value when it could not be used, for the error message. */
  readonly invalidEndpoint: string | undefined;
  credentialState: CredentialState = { kind: 'unknown' };

  constructor(logger: Logger, redactor: Redactor) {
    const parsed = readEndpoint();
    this.endpoint = parsed.ok ? parsed.endpoint : undefined;
    this.invalidEndpoint = parsed.ok ? undefined : parsed.value;
    this.credentials = new DefaultChainCredentials((found) => redactor.addCredentials(found));
    this.gateway = new SdkEcsGateway({
      credentials: this.credentials,
      endpoint: this.endpoint,
      onRequest: (record) => logger.request(record),
    });
    this.joinService = new JoinService({
      gateway: this.gateway,
      translate: vscode.l10n.t,
      groupsPerInstance: readGroupsPerInstance,
    });
  }

  /** Looks the credentials up once, for the status bar and the welcome view. */
  async checkCredentials(): Promise<CredentialState> {
    try {
      const found = await this.credentials.resolve();
      this.credentialState = {
        kind: 'found',
        providerName: found.providerName,
        maskedAccessKeyId: maskAccessKeyId(found.accessKeyId),
      };
    } catch (error) {
      this.credentialState = {
        kind: 'missing',
        details: error instanceof Error ? error.message : String(error),
      };
    }
    return this.credentialState;
  }
}
