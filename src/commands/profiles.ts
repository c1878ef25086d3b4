// Switch Profile..., Add Profile..., Show Credentials and Show or Hide Regions...
import * as vscode from 'vscode';
import { cliConfigPath, findProfile, loadCliConfig } from '../credentials/cliConfig';
import { maskAccessKeyId } from '../credentials/credentialSource';
import { readEnvironment } from '../credentials/environment';
import { hasDefects, inspectKey, type KeyInspection } from '../credentials/keyHygiene';
import { describeCredentialProblem } from '../credentials/problems';
import { effectiveMode, isSupportedMode } from '../credentials/links';
import { ENVIRONMENT_PROFILE } from '../credentials/sources';
import { acceptLanguage } from '../tree/provider';
import type { AccountManager } from '../ui/accounts';
import type { Logger } from '../ui/logger';
import { PROFILE_SETTING, readProfileSetting } from '../ui/session';
import { SETTINGS_SECTION } from '../ui/settings';
import { describeProfile } from '../ui/statusBar';
import type { Redactor } from '../util/redact';
import { UserCancelled } from './boundary';

export const PROFILE_COMMAND = {
  switchProfile: 'alibabaCloud.ecs.switchProfile',
  addProfile: 'alibabaCloud.ecs.addProfile',
  showCredentials: 'alibabaCloud.ecs.showCredentials',
  showOrHideRegions: 'alibabaCloud.ecs.showOrHideRegions',
} as const;

export interface ProfileCommandDeps {
  accounts: AccountManager;
  logger: Logger;
  redactor: Redactor;
}

type Register = <Args extends unknown[]>(
  id: string,
  handler: (...args: Args) => Promise<unknown>,
) => void;

export function registerProfileCommands(register: Register, deps: ProfileCommandDeps): void {
  register(PROFILE_COMMAND.switchProfile, (name?: unknown) => switchProfile(deps, name));
  register(PROFILE_COMMAND.addProfile, (input?: unknown) => addProfile(deps, input));
  register(PROFILE_COMMAND.showCredentials, () => showCredentials(deps));
  register(PROFILE_COMMAND.showOrHideRegions, (regionIds?: unknown) =>
    showOrHideRegions(deps, regionIds),
  );
}

interface ProfileItem extends vscode.QuickPickItem {
  /** The profile setting's value this item selects; undefined for separators and actions. */
  value?: string;
  /** The reason the item cannot be chosen. */
  refusal?: string;
  action?: 'add';
}

/**
 * Sets the profile setting (user settings) to a CLI profile, a profile added in VS Code,
 * ENVIRONMENT_PROFILE or '' for the automatic choice. The CLI's own file is never written.
 * With a string argument nothing is asked. Returns the value set.
 */
export async function switchProfile(deps: ProfileCommandDeps, name?: unknown): Promise<string> {
  const chosen = typeof name === 'string' ? name.trim() : await pickProfile(deps);
  deps.accounts.forgetReportedErrors();
  const previous = readProfileSetting();
  await vscode.workspace
    .getConfiguration(SETTINGS_SECTION)
    .update(PROFILE_SETTING, chosen || undefined, vscode.ConfigurationTarget.Global);
  if (previous === chosen) {
    // The setting did not change, so no configuration event renews the session.
    deps.accounts.renew('Profile chosen again');
  }
  deps.logger.info(`Profile setting is now ${chosen ? `"${chosen}"` : 'empty (automatic)'}.`);
  return chosen;
}

async function pickProfile(deps: ProfileCommandDeps): Promise<string> {
  const { accounts } = deps;
  const activeKey = accounts.session.selection.key;
  const mark = (key: string) => (key === activeKey ? ' ✓' : '');
  const items: ProfileItem[] = [
    {
      label: `$(sync) ${vscode.l10n.t('Automatic')}`,
      description: vscode.l10n.t(
        'ALIBABA_CLOUD_PROFILE, then environment variables, then the current CLI profile',
      ),
      value: '',
    },
  ];

  const file = cliConfigPath();
  const config = loadCliConfig(file);
  if (config.kind === 'loaded' && config.config.profiles.length > 0) {
    items.push({ label: file, kind: vscode.QuickPickItemKind.Separator });
    for (const profile of config.config.profiles) {
      const mode = effectiveMode(profile);
      const current = profile.name === config.config.current ? vscode.l10n.t('current') : '';
      const item: ProfileItem = {
        label: profile.name,
        description: [mode || '-', profile.region_id, current].filter(Boolean).join(' · '),
        value: profile.name,
      };
      item.description += mark(`cli:${profile.name}`);
      if (!isSupportedMode(mode)) {
        item.label = `$(circle-slash) ${profile.name}`;
        item.refusal = describeCredentialProblem(
          { kind: 'unsupportedMode', profile: profile.name, mode },
          vscode.l10n.t,
        );
        item.detail = item.refusal;
      }
      items.push(item);
    }
  }

  const stored = accounts.stored.list();
  if (stored.length > 0) {
    items.push({
      label: vscode.l10n.t('Added in VS Code'),
      kind: vscode.QuickPickItemKind.Separator,
    });
    for (const profile of stored) {
      items.push({
        label: profile.name,
        description: `AK · ${profile.regionId} · ${maskAccessKeyId(profile.accessKeyId)}${mark(`vscode:${profile.name}`)}`,
        value: profile.name,
      });
    }
  }

  const environment = readEnvironment();
  if (environment.kind !== 'absent') {
    items.push({ label: vscode.l10n.t('Environment'), kind: vscode.QuickPickItemKind.Separator });
    const item: ProfileItem = {
      label: `$(terminal) ${vscode.l10n.t('Environment variables')}`,
      value: ENVIRONMENT_PROFILE,
    };
    if (environment.kind === 'complete') {
      const { accessKeyId, securityToken } = environment.credentials;
      item.description = `${maskAccessKeyId(accessKeyId)}${securityToken ? ' · STS' : ''}${mark('environment')}`;
    } else {
      item.refusal = describeCredentialProblem(
        {
          kind: 'incompleteEnvironment',
          present: environment.present,
          missing: environment.missing,
        },
        vscode.l10n.t,
      );
      item.detail = item.refusal;
    }
    items.push(item);
  }

  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: `$(add) ${vscode.l10n.t('Add Profile...')}`, action: 'add' });

  const choice = await pickOne(
    items,
    vscode.l10n.t('Switch Profile'),
    vscode.l10n.t('Choose the profile to use'),
  );
  if (choice.action === 'add') {
    await addProfile(deps);
    throw new UserCancelled();
  }
  return choice.value ?? '';
}

/** Shows a quick pick in which an item with a refusal puts its reason in the title instead of closing. */
function pickOne(items: ProfileItem[], title: string, placeholder: string): Promise<ProfileItem> {
  const pick = vscode.window.createQuickPick<ProfileItem>();
  pick.title = title;
  pick.placeholder = placeholder;
  pick.matchOnDescription = true;
  pick.items = items;
  return new Promise((resolve, reject) => {
    let settled = false;
    pick.onDidAccept(() => {
      const [selected] = pick.selectedItems;
      if (!selected) {
        return;
      }
      if (selected.refusal) {
        pick.title = `${title}: ${selected.refusal}`;
        return;
      }
      settled = true;
      resolve(selected);
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      if (!settled) {
        reject(new UserCancelled());
      }
    });
    pick.show();
  });
}

/** The fields of Add Profile..., for a caller that passes them instead of typing them. */
export interface ProfileInput {
  name: string;
  accessKeyId: string;
  accessKeySecret: string;
  regionId: string;
}

function isProfileInput(value: unknown): value is ProfileInput {
  const input = value as Partial<ProfileInput> | undefined;
  return (
    typeof input?.name === 'string' &&
    typeof input.accessKeyId === 'string' &&
    typeof input.accessKeySecret === 'string' &&
    typeof input.regionId === 'string'
  );
}

const REGION_ID = /^[a-z]{2}(-[a-z0-9]+)+$/;

/**
 * Adds an AccessKey profile inside VS Code and switches to it. The secret is asked in a hidden
 * input and kept only in the secret storage. Spaces and invisible characters around or inside
 * the key are listed, and removed only if the user agrees.
 */
export async function addProfile(deps: ProfileCommandDeps, input?: unknown): Promise<string> {
  const { accounts, logger, redactor } = deps;
  const given = isProfileInput(input) ? input : undefined;
  const name = given ? given.name.trim() : await askName(deps);
  const nameProblem = validateName(deps, name);
  if (nameProblem) {
    throw new Error(nameProblem);
  }

  const accessKeyId = await cleanKey(
    vscode.l10n.t('AccessKey ID'),
    given?.accessKeyId ??
      (await ask({
        title: vscode.l10n.t('Add Profile: AccessKey ID'),
        prompt: vscode.l10n.t('The AccessKey ID, for example LTAI5t…'),
        password: false,
      })),
  );
  const accessKeySecret = await cleanKey(
    vscode.l10n.t('AccessKey secret'),
    given?.accessKeySecret ??
      (await ask({
        title: vscode.l10n.t('Add Profile: AccessKey secret'),
        prompt: vscode.l10n.t('The AccessKey secret. It is kept in the VS Code secret storage.'),
        password: true,
      })),
  );
  redactor.addCredentials({ accessKeyId, accessKeySecret });

  const regionId = given
    ? given.regionId.trim()
    : await ask({
        title: vscode.l10n.t('Add Profile: region'),
        prompt: vscode.l10n.t('The region to start in, for example cn-hangzhou'),
        password: false,
        value: 'cn-hangzhou',
        validate: (value) =>
          REGION_ID.test(value.trim())
            ? undefined
            : vscode.l10n.t('Enter a region ID such as cn-hangzhou.'),
      });
  if (!REGION_ID.test(regionId)) {
    throw new Error(vscode.l10n.t('"{0}" is not a region ID such as cn-hangzhou.', regionId));
  }

  await accounts.stored.add({ name, accessKeyId, regionId }, accessKeySecret);
  logger.info(
    `Added profile ${name} with AccessKey ID ${maskAccessKeyId(accessKeyId)} in ${regionId}; its secret is in the secret storage.`,
  );
  await switchProfile(deps, name);
  void vscode.window.showInformationMessage(
    redactor.redact(
      vscode.l10n.t(
        'Profile "{0}" was added and is now in use. Its AccessKey secret is kept in the VS Code secret storage.',
        name,
      ),
    ),
  );
  return name;
}

async function askName(deps: ProfileCommandDeps): Promise<string> {
  return ask({
    title: vscode.l10n.t('Add Profile: name'),
    prompt: vscode.l10n.t('A name for the profile, shown in the status bar'),
    password: false,
    validate: (value) => validateName(deps, value.trim()),
  });
}

function validateName(deps: ProfileCommandDeps, name: string): string | undefined {
  if (name === '') {
    return vscode.l10n.t('Enter a name.');
  }
  if (name === ENVIRONMENT_PROFILE) {
    return vscode.l10n.t('{0} is reserved for the environment variables.', ENVIRONMENT_PROFILE);
  }
  const config = loadCliConfig(cliConfigPath());
  if (config.kind === 'loaded' && findProfile(config.config, name)) {
    return vscode.l10n.t(
      'The Alibaba Cloud CLI already has a profile named "{0}". Choose another name.',
      name,
    );
  }
  if (deps.accounts.stored.list().some((profile) => profile.name === name)) {
    return vscode.l10n.t('A profile named "{0}" was already added. Choose another name.', name);
  }
  return undefined;
}

interface AskOptions {
  title: string;
  prompt: string;
  password: boolean;
  value?: string;
  validate?: (value: string) => string | undefined;
}

async function ask(options: AskOptions): Promise<string> {
  const value = await vscode.window.showInputBox({
    title: options.title,
    prompt: options.prompt,
    password: options.password,
    value: options.value,
    ignoreFocusOut: true,
    validateInput: (text) =>
      text.trim() === '' ? vscode.l10n.t('Enter a value.') : options.validate?.(text),
  });
  if (value === undefined) {
    throw new UserCancelled();
  }
  return value;
}

/** Lists what `inspectKey` found and returns the cleaned key if the user agrees to remove it. */
async function cleanKey(label: string, value: string): Promise<string> {
  const inspection = inspectKey(value);
  if (!hasDefects(inspection)) {
    return value;
  }
  const remove = vscode.l10n.t('Remove them');
  const choice = await vscode.window.showQuickPick([remove, vscode.l10n.t('Cancel')], {
    title: describeDefects(label, inspection),
    placeHolder: vscode.l10n.t('Remove these characters from the {0}?', label),
    ignoreFocusOut: true,
  });
  if (choice !== remove) {
    throw new UserCancelled();
  }
  if (inspection.cleaned === '') {
    throw new Error(vscode.l10n.t('The {0} is empty once these characters are removed.', label));
  }
  return inspection.cleaned;
}

/** Names the extra characters by count and code point; the key itself is never shown. */
export function describeDefects(label: string, inspection: KeyInspection): string {
  const parts: string[] = [];
  if (inspection.leading > 0) {
    parts.push(vscode.l10n.t('{0} at the start', inspection.leading));
  }
  if (inspection.trailing > 0) {
    parts.push(vscode.l10n.t('{0} at the end', inspection.trailing));
  }
  if (inspection.inside.length > 0) {
    parts.push(vscode.l10n.t('{0} inside', inspection.inside.join(' ')));
  }
  return vscode.l10n.t('The {0} has spaces or invisible characters: {1}.', label, parts.join(', '));
}

/** The result of Show Credentials, also returned to the caller. */
export interface CredentialReport {
  profile: string;
  source: string;
  providerName?: string;
  maskedAccessKeyId?: string;
  problem?: string;
}

/** Shows which source supplied the credentials and the masked AccessKey ID. */
export async function showCredentials(deps: ProfileCommandDeps): Promise<CredentialReport> {
  const session = deps.accounts.session;
  const state = await session.checkCredentials();
  const report: CredentialReport = {
    profile: describeProfile(session),
    source: describeOrigin(session.selection.origin, session.selection.kind),
  };
  const switchLabel = vscode.l10n.t('Switch Profile...');
  let message: string;
  if (state.kind === 'found') {
    report.providerName = state.providerName;
    report.maskedAccessKeyId = state.maskedAccessKeyId;
    message = vscode.l10n.t(
      'Credentials: {0}. {1} Provider {2}, AccessKey ID {3}.',
      report.profile,
      report.source,
      state.providerName,
      state.maskedAccessKeyId,
    );
  } else {
    report.problem = state.kind === 'missing' ? state.details : '';
    message = vscode.l10n.t(
      'Credentials: {0}. {1} They cannot be used: {2}',
      report.profile,
      report.source,
      report.problem,
    );
  }
  deps.logger.info(message);
  const show =
    state.kind === 'found' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  void show(deps.redactor.redact(message), switchLabel).then(async (choice) => {
    if (choice === switchLabel) {
      await vscode.commands.executeCommand(PROFILE_COMMAND.switchProfile);
    }
  });
  return report;
}

function describeOrigin(origin: string, kind: string): string {
  if (kind === 'defaultChain') {
    return vscode.l10n.t('Found by the default credential chain.');
  }
  switch (origin) {
    case 'setting':
      return vscode.l10n.t('Chosen in the setting alibabaCloud.ecs.profile.');
    case 'variable':
      return vscode.l10n.t('Named by the environment variable ALIBABA_CLOUD_PROFILE.');
    case 'current':
      return vscode.l10n.t('The current profile of the Alibaba Cloud CLI.');
    default:
      return vscode.l10n.t(
        'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are set.',
      );
  }
}

/**
 * Chooses the regions the tree shows for the current profile. With a list of region IDs
 * nothing is asked; an empty list shows every region again.
 */
export async function showOrHideRegions(
  deps: ProfileCommandDeps,
  regionIds?: unknown,
): Promise<string[]> {
  const { accounts } = deps;
  let chosen: string[];
  if (Array.isArray(regionIds) && regionIds.every((id) => typeof id === 'string')) {
    chosen = regionIds;
  } else {
    const session = accounts.session;
    const regions = await session.gateway.listRegions(acceptLanguage());
    const shown = session.regionFilter;
    const items = regions.map((region) => ({
      label: region.localName || region.regionId,
      description: region.regionId,
      picked: shown.length === 0 || shown.includes(region.regionId),
      regionId: region.regionId,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Show or Hide Regions: {0}', session.sourceLabel),
      placeHolder: vscode.l10n.t('Check the regions to show in the tree'),
      canPickMany: true,
      matchOnDescription: true,
    });
    if (!picked) {
      throw new UserCancelled();
    }
    // Every region checked, or none, means no filter.
    chosen = picked.length === items.length ? [] : picked.map((item) => item.regionId);
  }
  await accounts.setShownRegions(chosen);
  deps.logger.info(
    `Shown regions for ${accounts.session.selection.key}: ${chosen.length > 0 ? chosen.join(', ') : 'all'}.`,
  );
  return chosen;
}
