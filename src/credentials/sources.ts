// Chooses where credentials come from: the extension's own profile choice, ALIBABA_CLOUD_PROFILE,
// the environment variables, the CLI's current profile, then the rest of the SDK's default chain.
import { createTranslator, type Translate } from '../i18n/translate';
import {
  cliConfigPath,
  findProfile,
  loadCliConfig,
  type CliConfigResult,
  type CliProfile,
} from './cliConfig';
import { readEnvironment, type EnvironmentReading } from './environment';
import { ExternalCommandError } from './external';
import {
  createProfileLink,
  effectiveMode,
  loadCredentialsLibrary,
  type CredentialLink,
  type CredentialsLibrary,
} from './links';
import {
  NoCredentialsError,
  type CredentialProvider,
  type ResolvedCredentials,
  type SdkCredential,
} from './credentialSource';
import { CredentialError, type CredentialProblem, type ProfileOrigin } from './problems';

/** The value of the profile setting that selects the environment variables. */
export const ENVIRONMENT_PROFILE = '<environment>';

/** A profile added inside VS Code: its secret is in SecretStorage, never in these fields. */
export interface StoredProfile {
  name: string;
  accessKeyId: string;
  regionId: string;
}

/** Read access to the profiles added inside VS Code. */
export interface StoredProfileSource {
  list(): StoredProfile[];
  readSecret(name: string): Promise<string | undefined>;
}

export type SourceKind = 'cliProfile' | 'environment' | 'stored' | 'defaultChain';

/** The source that credentials will come from, decided before any of them is read. */
export interface SourceSelection {
  kind: SourceKind;
  /**
   * Identifies the source across sessions: `cli:<name>`, `vscode:<name>`, `environment` or
   * `chain`. Per-profile state (the region, the shown regions, reported errors) is keyed by it.
   */
  key: string;
  /** The profile name; undefined for the environment and the default chain. */
  profileName?: string;
  /** The setting, variable or file field that chose this source; `automatic` otherwise. */
  origin: ProfileOrigin | 'automatic';
  /** The CLI profile's mode, or AK for a stored profile. */
  mode?: string;
  /** The profile's `region_id`. */
  regionId?: string;
  configPath: string;
  config: CliConfigResult;
  /** Set when the choice alone shows that no credentials can be had. */
  problem?: CredentialProblem;
  /** Reported if the default chain finds nothing: old variable names or half-set variables. */
  hint?: CredentialProblem;
}

export interface SelectionInput {
  /** The extension's profile setting: a profile name, ENVIRONMENT_PROFILE, or empty. */
  chosenProfile?: string;
  env?: NodeJS.ProcessEnv;
  stored?: StoredProfile[];
  /** Defaults to `cliConfigPath(env)`. */
  configPath?: string;
}

/** Decides the source. Reads the CLI's profile file, which is small, synchronously. */
export function selectSource(input: SelectionInput = {}): SourceSelection {
  const env = input.env ?? process.env;
  const configPath = input.configPath ?? cliConfigPath(env);
  const config = loadCliConfig(configPath);
  const stored = input.stored ?? [];
  const environment = readEnvironment(env);
  const base = { configPath, config };

  const chosen = input.chosenProfile?.trim();
  if (chosen === ENVIRONMENT_PROFILE) {
    return environmentSelection(base, environment, 'setting');
  }
  if (chosen) {
    return namedSelection(base, stored, chosen, 'setting');
  }
  const variable = env.ALIBABA_CLOUD_PROFILE?.trim();
  if (variable) {
    return namedSelection(base, stored, variable, 'variable');
  }
  if (environment.kind === 'complete') {
    return environmentSelection(base, environment, 'automatic');
  }
  if (config.kind === 'invalid') {
    return {
      ...base,
      kind: 'cliProfile',
      key: 'cli',
      origin: 'current',
      problem: { kind: 'configInvalid', path: configPath, defect: config.defect },
    };
  }
  if (config.kind === 'loaded') {
    const current = config.config.current || 'default';
    const profile = findProfile(config.config, current);
    if (profile) {
      return cliSelection(base, profile, 'current');
    }
    if (config.config.current) {
      return {
        ...base,
        kind: 'cliProfile',
        key: `cli:${current}`,
        profileName: current,
        origin: 'current',
        problem: { kind: 'profileNotFound', profile: current, path: configPath, origin: 'current' },
      };
    }
  }
  return {
    ...base,
    kind: 'defaultChain',
    key: 'chain',
    origin: 'automatic',
    hint: hintOf(environment),
  };
}

function namedSelection(
  base: Pick<SourceSelection, 'configPath' | 'config'>,
  stored: StoredProfile[],
  name: string,
  origin: ProfileOrigin,
): SourceSelection {
  const { config, configPath } = base;
  const profile = config.kind === 'loaded' ? findProfile(config.config, name) : undefined;
  if (profile) {
    return cliSelection(base, profile, origin);
  }
  const own = stored.find((entry) => entry.name === name);
  if (own) {
    return {
      ...base,
      kind: 'stored',
      key: `vscode:${name}`,
      profileName: name,
      origin,
      mode: 'AK',
      regionId: own.regionId,
    };
  }
  const problem: CredentialProblem =
    config.kind === 'invalid'
      ? { kind: 'configInvalid', path: configPath, defect: config.defect }
      : { kind: 'profileNotFound', profile: name, path: configPath, origin };
  return { ...base, kind: 'cliProfile', key: `cli:${name}`, profileName: name, origin, problem };
}

function cliSelection(
  base: Pick<SourceSelection, 'configPath' | 'config'>,
  profile: CliProfile,
  origin: ProfileOrigin,
): SourceSelection {
  return {
    ...base,
    kind: 'cliProfile',
    key: `cli:${profile.name}`,
    profileName: profile.name,
    origin,
    mode: effectiveMode(profile),
    regionId: profile.region_id?.trim() || undefined,
  };
}

function environmentSelection(
  base: Pick<SourceSelection, 'configPath' | 'config'>,
  environment: EnvironmentReading,
  origin: SourceSelection['origin'],
): SourceSelection {
  const selection: SourceSelection = { ...base, kind: 'environment', key: 'environment', origin };
  if (environment.kind !== 'complete') {
    selection.problem = hintOf(environment) ?? {
      kind: 'incompleteEnvironment',
      present: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
      missing: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    };
  }
  return selection;
}

function hintOf(environment: EnvironmentReading): CredentialProblem | undefined {
  if (environment.kind === 'incomplete') {
    return {
      kind: 'incompleteEnvironment',
      present: environment.present,
      missing: environment.missing,
    };
  }
  if (environment.kind === 'absent' && environment.legacyNames.length > 0) {
    return { kind: 'legacyVariables', names: environment.legacyNames };
  }
  return undefined;
}

export interface SelectedCredentialsOptions {
  env?: NodeJS.ProcessEnv;
  translate?: Translate;
  stored?: StoredProfileSource;
  /** Sees every credential found, so that a redactor can learn the values to hide. */
  onResolved?: (found: ResolvedCredentials) => void;
  library?: CredentialsLibrary;
  externalTimeoutMs?: number;
  /** Clock in ms, for tests of the reuse window. */
  now?: () => number;
}

/**
 * How long the result of a lookup is reused, in ms.
 *
 * NOTE: the role providers of `@alicloud/credentials` 2.4.7 refresh once less than 15 minutes of
 * a token are left. A token of 900 s, the shortest STS issues, is therefore fetched again on every
 * call; reusing it for a minute sends at most one AssumeRole per minute and keeps every token
 * used well within its lifetime.
 */
const REUSE_MS = 60_000;

/**
 * Credentials from one selected source. Concurrent calls share one lookup, so a role-based
 * source sends one STS request however many API requests wait for it. After a failure the
 * provider objects are dropped, and the next call builds new ones.
 */
export class SelectedCredentials implements CredentialProvider {
  private link: CredentialLink | undefined;
  private pending: Promise<ResolvedCredentials> | undefined;
  private last: { credentials: ResolvedCredentials; at: number } | undefined;
  private readonly now: () => number;
  private readonly env: NodeJS.ProcessEnv;
  private readonly translate: Translate;

  constructor(
    readonly selection: SourceSelection,
    private readonly options: SelectedCredentialsOptions = {},
  ) {
    this.env = options.env ?? process.env;
    this.translate = options.translate ?? createTranslator();
    this.now = options.now ?? Date.now;
  }

  resolve(): Promise<ResolvedCredentials> {
    if (this.last && this.now() - this.last.at < REUSE_MS) {
      return Promise.resolve(this.last.credentials);
    }
    this.pending ??= this.lookUp().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Drops the provider objects, so that the next call reads the source again. */
  invalidate(): void {
    this.link = undefined;
    this.last = undefined;
  }

  asSdkCredential(): SdkCredential {
    return {
      getCredential: async () => {
        const found = await this.resolve();
        return {
          accessKeyId: found.accessKeyId,
          accessKeySecret: found.accessKeySecret,
          securityToken: found.securityToken ?? '',
          type: found.securityToken ? 'sts' : 'access_key',
          providerName: found.providerName,
        };
      },
    };
  }

  private async lookUp(): Promise<ResolvedCredentials> {
    const { problem } = this.selection;
    if (problem) {
      throw new CredentialError(problem, this.translate);
    }
    const link = this.link ?? (await this.createLink());
    let found;
    try {
      found = await link.getCredentials();
    } catch (error) {
      this.link = undefined;
      this.last = undefined;
      throw this.explainFailure(error);
    }
    this.link = link;
    const resolved: ResolvedCredentials = {
      accessKeyId: found.accessKeyId,
      accessKeySecret: found.accessKeySecret,
      securityToken: found.securityToken || undefined,
      providerName: this.providerName(found.providerName || link.getProviderName()),
    };
    this.last = { credentials: resolved, at: this.now() };
    this.options.onResolved?.(resolved);
    return resolved;
  }

  private providerName(inner: string): string {
    switch (this.selection.kind) {
      case 'cliProfile':
        return `cli_profile/${inner}`;
      case 'environment':
        return 'env';
      case 'stored':
        return `vscode_profile/${inner}`;
      case 'defaultChain':
        return inner;
    }
  }

  private async createLink(): Promise<CredentialLink> {
    const library = this.options.library ?? loadCredentialsLibrary();
    const selection = this.selection;
    switch (selection.kind) {
      case 'cliProfile': {
        if (selection.config.kind !== 'loaded' || !selection.profileName) {
          throw new NoCredentialsError(`${selection.configPath} has no usable profile`);
        }
        return createProfileLink(selection.config.config, selection.profileName, {
          env: this.env,
          translate: this.translate,
          library,
          externalTimeoutMs: this.options.externalTimeoutMs,
        });
      }
      case 'environment': {
        const reading = readEnvironment(this.env);
        if (reading.kind !== 'complete') {
          throw new CredentialError(
            hintOf(reading) ?? {
              kind: 'incompleteEnvironment',
              present: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
              missing: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
            },
            this.translate,
          );
        }
        const { accessKeyId, accessKeySecret, securityToken } = reading.credentials;
        return securityToken
          ? library.StaticSTSCredentialsProvider.builder()
              .withAccessKeyId(accessKeyId)
              .withAccessKeySecret(accessKeySecret)
              .withSecurityToken(securityToken)
              .build()
          : library.StaticAKCredentialsProvider.builder()
              .withAccessKeyId(accessKeyId)
              .withAccessKeySecret(accessKeySecret)
              .build();
      }
      case 'stored': {
        const name = selection.profileName ?? '';
        const profile = this.options.stored?.list().find((entry) => entry.name === name);
        const secret = profile ? await this.options.stored?.readSecret(name) : undefined;
        if (!profile || !secret) {
          throw new CredentialError({ kind: 'storedSecretMissing', profile: name }, this.translate);
        }
        return library.StaticAKCredentialsProvider.builder()
          .withAccessKeyId(profile.accessKeyId)
          .withAccessKeySecret(secret)
          .build();
      }
      case 'defaultChain':
        return new FallbackChain(buildFallbackChain(library, this.env), selection, this.translate);
    }
  }

  private explainFailure(error: unknown): Error {
    if (error instanceof CredentialError || error instanceof NoCredentialsError) {
      return error;
    }
    const raw = error instanceof Error ? error.message : String(error);
    const detail = error instanceof ExternalCommandError ? raw : scrubProviderMessage(raw);
    return new CredentialError(
      { kind: 'sourceFailed', source: this.describeSource(), detail },
      this.translate,
    );
  }

  private describeSource(): string {
    const { selection, translate: t } = this;
    switch (selection.kind) {
      case 'cliProfile':
        return t('profile "{0}" (mode {1})', selection.profileName ?? '', selection.mode ?? '');
      case 'stored':
        return t('profile "{0}" added in VS Code', selection.profileName ?? '');
      case 'environment':
        return t('the environment variables');
      case 'defaultChain':
        return t('the default credential chain');
    }
  }
}

/**
 * Removes what can carry credentials from a provider's error text: the library's providers
 * append the HTTP response body (`refresh session token failed: {...}`), and its HTTP client
 * appends the request URL, whose query contains the AccessKey ID, the signature and any STS token.
 */
export function scrubProviderMessage(message: string): string {
  let text = message
    .split('\n')[0]
    .replace(/(GET |POST |PUT )?(https?:\/\/[^\s?]*)(\?\S*)?/g, (_, method = '', url) => {
      return ` (${method}${url})`;
    })
    .replace(/\s+/g, ' ')
    .trim();
  const marker = /(failed:|message =|result:|unmarshal fail:)\s/.exec(text);
  if (marker) {
    text = `${text.slice(0, marker.index + marker[1].length)} [response body omitted]`;
  }
  const body = text.search(/[{<]/);
  if (body >= 0) {
    text = `${text.slice(0, body).trimEnd()} [response body omitted]`;
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * Builds the sources of the library's default chain that follow the environment and the CLI profile:
 * OIDC variables, `~/.alibabacloud/credentials`, the ECS metadata service and a credentials URI.
 *
 * NOTE: `DefaultCredentialsProvider` of `@alicloud/credentials` 2.4.7 always adds the URI
 * provider, which then requests `https://undefined` when ALIBABA_CLOUD_CREDENTIALS_URI is unset,
 * so the chain is assembled here and the OIDC, metadata and URI providers are added only when
 * their variables are set.
 */
function buildFallbackChain(library: CredentialsLibrary, env: NodeJS.ProcessEnv): CredentialLink[] {
  const links: Array<() => CredentialLink> = [];
  if (
    env.ALIBABA_CLOUD_ROLE_ARN &&
    env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN &&
    env.ALIBABA_CLOUD_OIDC_TOKEN_FILE
  ) {
    links.push(() => library.OIDCRoleArnCredentialsProvider.builder().build());
  }
  links.push(() => library.ProfileCredentialsProvider.builder().build());
  if (
    env.ALIBABA_CLOUD_ECS_METADATA_DISABLED?.toLowerCase() !== 'true' &&
    env.ALIBABA_CLOUD_ECS_METADATA
  ) {
    links.push(() => library.ECSRAMRoleCredentialsProvider.builder().build());
  }
  const credentialsUri = env.ALIBABA_CLOUD_CREDENTIALS_URI;
  if (credentialsUri) {
    links.push(() =>
      library.URICredentialsProvider.builder().withCredentialsURI(credentialsUri).build(),
    );
  }
  return links.flatMap((create) => {
    try {
      return [create()];
    } catch {
      // A builder throws when its inputs are incomplete; that source is simply not configured.
      return [];
    }
  });
}

/** Tries the fallback sources in order and keeps the first that supplies credentials. */
class FallbackChain implements CredentialLink {
  private chosen: CredentialLink | undefined;

  constructor(
    private readonly links: CredentialLink[],
    private readonly selection: SourceSelection,
    private readonly translate: Translate,
  ) {}

  getProviderName(): string {
    return this.chosen?.getProviderName() ?? 'default';
  }

  async getCredentials() {
    if (this.chosen) {
      return this.chosen.getCredentials();
    }
    const errors: string[] = [];
    for (const link of this.links) {
      try {
        const found = await link.getCredentials();
        this.chosen = link;
        return found;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        errors.push(`${link.getProviderName()}: ${scrubProviderMessage(message)}`);
      }
    }
    if (this.selection.hint) {
      throw new CredentialError(this.selection.hint, this.translate);
    }
    throw new NoCredentialsError(errors.join('; ') || 'no source is configured');
  }
}
