import * as vscode from 'vscode';
import { maskAccessKeyId, NoCredentialsError } from '../credentials/credentialSource';
import { CredentialError, type CredentialProblem } from '../credentials/problems';
import {
  SelectedCredentials,
  selectSource,
  type SourceSelection,
  type StoredProfileSource,
} from '../credentials/sources';
import type { EndpointOverride } from '../ecs/endpoint';
import type { EcsApiError } from '../ecs/errors';
import { SdkEcsGateway, type EcsGateway } from '../ecs/gateway';
import { RefusingGateway } from '../ecs/refusingGateway';
import { JoinService } from '../service/joinService';
import type { Redactor } from '../util/redact';
import type { Logger } from './logger';
import {
  readEndpoint,
  readConcurrencyPerRegion,
  readGroupsPerInstance,
  readRegionFilter,
  SETTINGS_SECTION,
} from './settings';

/** The setting that names the profile to use; see `selectSource` for what an empty value means. */
export const PROFILE_SETTING = 'profile';

/**
 * API error codes that mean the credentials themselves were refused. After one of them the
 * session is rebuilt, so that the next request reads the credentials again.
 */
const REFUSED_CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'InvalidAccessKeyId.NotFound',
  'InvalidAccessKeyId.Inactive',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidSecurityToken.Expired',
  'InvalidSecurityToken.Malformed',
  'InvalidSecurityToken.MismatchWithAccessKey',
]);

/** Codes explained once per profile: the refused credentials, and a RAM policy that denies. */
export function isCredentialErrorCode(code: string): boolean {
  return REFUSED_CREDENTIAL_CODES.has(code) || code === 'Forbidden.RAM';
}

export function isRefusedCredentialCode(code: string): boolean {
  return REFUSED_CREDENTIAL_CODES.has(code);
}

/** The credential status that the status bar and the welcome view show. */
export type CredentialState =
  | { kind: 'unknown' }
  | { kind: 'found'; providerName: string; maskedAccessKeyId: string }
  | { kind: 'missing'; details: string; problem?: CredentialProblem };

export interface SessionOptions {
  /** The profile setting's value; read from the user settings when omitted. */
  chosenProfile?: string;
  stored?: StoredProfileSource;
  /** Regions the tree shows; the `regions` setting when omitted. Empty shows every region. */
  regionFilter?: string[];
  /** Sees each API error whose code `isCredentialErrorCode` accepts. */
  onCredentialError?: (error: EcsApiError, session: Session) => void;
  /** Sees each failed credential lookup that names a problem the user can fix. */
  onCredentialProblem?: (error: CredentialError, session: Session) => void;
}

/**
 * The gateway, credentials and join service for one profile and the current settings. A new
 * session is built after a switch, a settings or profile file change and a refused credential,
 * so that no SDK client or cached credential of the old one is reused.
 */
export class Session {
  readonly gateway: EcsGateway;
  readonly joinService: JoinService;
  readonly credentials: SelectedCredentials;
  readonly selection: SourceSelection;
  /** The endpoint override in force, or undefined for the Alibaba Cloud endpoints. */
  readonly endpoint: EndpointOverride | undefined;
  /** The endpoint setting's value when it could not be used, for the error message. */
  readonly invalidEndpoint: string | undefined;
  /** Regions the tree shows; empty shows every region. */
  regionFilter: string[];
  credentialState: CredentialState = { kind: 'unknown' };

  constructor(
    private readonly logger: Logger,
    redactor: Redactor,
    private readonly options: SessionOptions = {},
  ) {
    const parsed = readEndpoint();
    this.endpoint = parsed.ok ? parsed.endpoint : undefined;
    this.invalidEndpoint = parsed.ok ? undefined : parsed.value;
    this.regionFilter = options.regionFilter ?? readRegionFilter();
    this.selection = selectSource({
      chosenProfile: options.chosenProfile ?? readProfileSetting(),
      stored: options.stored?.list(),
    });
    this.credentials = new SelectedCredentials(this.selection, {
      translate: vscode.l10n.t,
      stored: options.stored,
      onResolved: (found) => {
        redactor.addCredentials(found);
        logger.trace(
          `Credentials from ${found.providerName}, AccessKey ID ${maskAccessKeyId(found.accessKeyId)}`,
        );
      },
    });
    // An unusable endpoint setting must not fall back to the Alibaba Cloud endpoints.
    this.gateway =
      this.invalidEndpoint !== undefined
        ? new RefusingGateway(this.invalidEndpoint)
        : new SdkEcsGateway({
            credentials: this.credentials,
            // A batch may send as many requests at once per region as its setting allows.
            inFlight: {
              perRegion: readConcurrencyPerRegion(),
              overall: Math.max(10, readConcurrencyPerRegion()),
            },
            endpoint: this.endpoint,
            onRequest: (record) => {
              logger.request(record);
              if (record.error && isCredentialErrorCode(record.error.code)) {
                options.onCredentialError?.(record.error, this);
              }
            },
          });
    this.joinService = new JoinService({
      gateway: this.gateway,
      translate: vscode.l10n.t,
      groupsPerInstance: readGroupsPerInstance,
    });
  }

  /** The profile name, or a short name for the environment and the default chain. */
  get sourceLabel(): string {
    return sourceLabel(this.selection, this.credentialState);
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
      const message = error instanceof Error ? error.message : String(error);
      this.credentialState = {
        kind: 'missing',
        details: message,
        problem: error instanceof CredentialError ? error.problem : undefined,
      };
      if (error instanceof CredentialError) {
        this.options.onCredentialProblem?.(error, this);
      } else if (!(error instanceof NoCredentialsError)) {
        this.logger.error(`Credential lookup failed: ${message}`);
      }
    }
    return this.credentialState;
  }
}

/** Reads the profile setting from user or remote settings only, like the endpoint. */
export function readProfileSetting(): string {
  const inspected = vscode.workspace
    .getConfiguration(SETTINGS_SECTION)
    .inspect<string>(PROFILE_SETTING);
  const value = inspected?.globalValue;
  return typeof value === 'string' ? value.trim() : '';
}

function sourceLabel(selection: SourceSelection, state: CredentialState): string {
  switch (selection.kind) {
    case 'cliProfile':
    case 'stored':
      return selection.profileName ?? '';
    case 'environment':
      return vscode.l10n.t('environment');
    case 'defaultChain':
      return state.kind === 'found'
        ? chainSourceLabel(state.providerName)
        : vscode.l10n.t('no credentials');
  }
}

/** Returns a short name for the provider of the default chain that supplied credentials. */
function chainSourceLabel(providerName: string): string {
  const outer = providerName.split('/')[0] ?? providerName;
  switch (outer) {
    case 'profile':
      return vscode.l10n.t('credentials file');
    case 'ecs_ram_role':
      return vscode.l10n.t('ECS RAM role');
    case 'oidc_role_arn':
      return vscode.l10n.t('OIDC');
    case 'credential_uri':
      return vscode.l10n.t('credentials URI');
    default:
      return outer;
  }
}
