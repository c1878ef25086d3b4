import * as vscode from 'vscode';
import { cliConfigPath } from '../credentials/cliConfig';
import { watchConfigFile, type FileWatch } from '../credentials/configWatcher';
import type { CredentialError } from '../credentials/problems';
import { StoredProfiles } from '../credentials/storedProfiles';
import type { EcsApiError } from '../ecs/errors';
import { describeApiError } from '../service/messages';
import type { Redactor } from '../util/redact';
import type { Logger } from './logger';
import { isRefusedCredentialCode, Session } from './session';

const DEFAULT_REGION = 'cn-hangzhou';
/** The region chosen before regions were kept per profile; still read as a fallback. */
const LEGACY_ACTIVE_REGION_KEY = 'alibabaCloud.ecs.activeRegion';
const ACTIVE_REGIONS_KEY = 'alibabaCloud.ecs.activeRegionByProfile';
const SHOWN_REGIONS_KEY = 'alibabaCloud.ecs.shownRegionsByProfile';
/** The context key set while the credentials of the chosen profile cannot be used. */
export const CREDENTIAL_PROBLEM_KEY = 'alibabaCloud.ecs.credentialProblem';

export interface SessionChange {
  session: Session;
  /** True when the tree must drop its data: another account, or other settings. */
  reload: boolean;
  reason: string;
}

export interface AccountManagerOptions {
  context: vscode.ExtensionContext;
  logger: Logger;
  redactor: Redactor;
  /** Polling interval of the CLI profile file, in ms; 1000 unless set. */
  watchIntervalMs?: number;
}

/**
 * Owns the current session. It builds a new one when the profile, the settings or the CLI
 * profile file change, and after the API refuses the credentials. It keeps the active region
 * and the shown regions per profile, and shows each credential error once per profile.
 */
export class AccountManager implements vscode.Disposable {
  readonly stored: StoredProfiles;
  private current: Session;
  private readonly changed = new vscode.EventEmitter<SessionChange>();
  readonly onDidChangeSession = this.changed.event;
  private watch: { path: string; handle: FileWatch } | undefined;
  /** `<profile key>|<code>` of each error already shown. */
  private readonly reported = new Set<string>();
  /** Sessions already replaced after a refused credential, so one failure renews once. */
  private readonly renewedAfterFailure = new WeakSet<Session>();

  constructor(private readonly options: AccountManagerOptions) {
    this.stored = new StoredProfiles(options.context.globalState, options.context.secrets);
    this.current = this.createSession();
    options.logger.info(`Using ${this.describeSelection()}.`);
    this.watchProfileFile();
  }

  get session(): Session {
    return this.current;
  }

  /**
   * Replaces the session. With `reload`, listeners drop the tree data, because the account or
   * the settings changed; without it only later requests use the new session.
   */
  renew(reason: string, reload = true): Session {
    this.current = this.createSession();
    this.options.logger.info(`${reason}; using ${this.describeSelection()}.`);
    this.watchProfileFile();
    this.changed.fire({ session: this.current, reload, reason });
    return this.current;
  }

  /** Forgets which errors were shown, so that they are shown again, for example after a switch. */
  forgetReportedErrors(): void {
    this.reported.clear();
  }

  /** Returns the region of the current profile: the one last chosen for it, else its `region_id`. */
  activeRegion(): string {
    const { selection } = this.current;
    const chosen = this.stateMap<string>(ACTIVE_REGIONS_KEY)[selection.key];
    return (
      chosen ??
      selection.regionId ??
      this.options.context.globalState.get<string>(LEGACY_ACTIVE_REGION_KEY) ??
      DEFAULT_REGION
    );
  }

  async setActiveRegion(regionId: string): Promise<void> {
    await this.updateStateMap(ACTIVE_REGIONS_KEY, this.current.selection.key, regionId);
  }

  /** Returns the regions chosen for the current profile with Show or Hide Regions, if any. */
  shownRegions(): string[] | undefined {
    return this.stateMap<string[]>(SHOWN_REGIONS_KEY)[this.current.selection.key];
  }

  /** Keeps the shown regions for the current profile; an empty list shows every region. */
  async setShownRegions(regionIds: string[]): Promise<void> {
    await this.updateStateMap(SHOWN_REGIONS_KEY, this.current.selection.key, regionIds);
    this.current.regionFilter = regionIds;
    this.changed.fire({ session: this.current, reload: true, reason: 'Shown regions changed' });
  }

  /** Describes the source in one line, for the log. */
  describeSelection(): string {
    const { selection } = this.current;
    switch (selection.kind) {
      case 'cliProfile':
        return `CLI profile ${selection.profileName ?? '?'} (${selection.mode ?? 'no mode'}, chosen by ${selection.origin}) from ${selection.configPath}`;
      case 'stored':
        return `profile ${selection.profileName ?? '?'} added in VS Code`;
      case 'environment':
        return 'the environment variables';
      case 'defaultChain':
        return 'the default credential chain';
    }
  }

  dispose(): void {
    this.watch?.handle.dispose();
    this.changed.dispose();
  }

  private createSession(): Session {
    const shown = this.stateMap<string[]>(SHOWN_REGIONS_KEY);
    const session = new Session(this.options.logger, this.options.redactor, {
      stored: this.stored,
      onCredentialError: (error, failed) => this.onCredentialError(error, failed),
      onCredentialProblem: (error, failed) => this.onCredentialProblem(error, failed),
    });
    const regions = shown[session.selection.key];
    if (regions) {
      session.regionFilter = regions;
    }
    void vscode.commands.executeCommand('setContext', CREDENTIAL_PROBLEM_KEY, false);
    return session;
  }

  private onCredentialError(error: EcsApiError, session: Session): void {
    if (session !== this.current) {
      return;
    }
    const explanation = describeApiError(error, vscode.l10n.t);
    this.reportOnce(
      `${session.selection.key}|${error.code}`,
      vscode.l10n.t('Profile "{0}": {1}', session.sourceLabel, explanation),
    );
    if (isRefusedCredentialCode(error.code) && !this.renewedAfterFailure.has(session)) {
      // The library's providers may hold the refused credentials; later requests get new ones.
      this.renewedAfterFailure.add(session);
      this.renew(`The API refused the credentials (${error.code})`, false);
    }
  }

  private onCredentialProblem(error: CredentialError, session: Session): void {
    if (session !== this.current) {
      return;
    }
    void vscode.commands.executeCommand('setContext', CREDENTIAL_PROBLEM_KEY, true);
    this.reportOnce(`${session.selection.key}|${error.problem.kind}`, error.message);
  }

  private reportOnce(key: string, message: string): void {
    const { logger, redactor } = this.options;
    if (this.reported.has(key)) {
      logger.debug(`Not shown again: ${message}`);
      return;
    }
    this.reported.add(key);
    logger.error(message);
    const switchProfile = vscode.l10n.t('Switch Profile...');
    const showLog = vscode.l10n.t('Show Log');
    // The redactor is the same one that guards the log and the Notifier.
    void vscode.window
      .showErrorMessage(redactor.redact(message), switchProfile, showLog)
      .then(async (choice) => {
        if (choice === switchProfile) {
          await vscode.commands.executeCommand('alibabaCloud.ecs.switchProfile');
        } else if (choice === showLog) {
          logger.show();
        }
      });
  }

  /** Follows the file that the current environment names, and renews the session when it changes. */
  private watchProfileFile(): void {
    const file = cliConfigPath();
    if (this.watch?.path === file) {
      return;
    }
    this.watch?.handle.dispose();
    const handle = watchConfigFile(
      file,
      () => {
        this.forgetReportedErrors();
        this.renew(`The profile file ${file} changed`);
      },
      this.options.watchIntervalMs,
    );
    this.watch = { path: file, handle };
  }

  /** A map from profile key to value, kept in the global state under `key`. */
  private stateMap<T>(key: string): Record<string, T> {
    const value = this.options.context.globalState.get<unknown>(key);
    return typeof value === 'object' && value !== null ? (value as Record<string, T>) : {};
  }

  private async updateStateMap(key: string, profileKey: string, value: unknown): Promise<void> {
    const map = { ...this.stateMap<unknown>(key), [profileKey]: value };
    await this.options.context.globalState.update(key, map);
  }
}
