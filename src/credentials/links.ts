// Turns one CLI profile into a provider of `@alicloud/credentials`, by its mode. The library's
// providers do the work wherever it has one; External is implemented in external.ts.
import { findProfile, type CliConfiguration, type CliProfile } from './cliConfig';
import { ExternalCommandError, ExternalCredentialsProvider } from './external';
import { CredentialError, SUPPORTED_MODES, type CredentialProblem } from './problems';
import type { Translate } from '../i18n/translate';

/** Credentials as the library's providers return them; `securityToken` is empty for an AccessKey. */
export interface LinkCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  providerName: string;
}

/** The interface of the library's providers: each returns credentials or throws. */
export interface CredentialLink {
  getCredentials(): Promise<LinkCredentials>;
  getProviderName(): string;
}

export type CredentialsLibrary = typeof import('@alicloud/credentials');

/** Loads `@alicloud/credentials` on first use, so that activating the extension costs nothing. */
export function loadCredentialsLibrary(): CredentialsLibrary {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@alicloud/credentials') as CredentialsLibrary;
}

/** Modes that the CLI supports (aliyun-cli config/profile.go) but this extension cannot use. */
const UNSUPPORTED_MODES = [
  'RsaKeyPair',
  'RamRoleArnWithRoleName',
  'CloudSSO',
  'OAuth',
  'BearerToken',
  'Anonymous',
] as const;

/** Maps a mode to the CLI's spelling; like the CLI, the comparison ignores case. */
export function normalizeMode(mode: string): string {
  const known = [...SUPPORTED_MODES, ...UNSUPPORTED_MODES];
  return known.find((name) => name.toLowerCase() === mode.trim().toLowerCase()) ?? mode.trim();
}

/**
 * Returns the mode of a profile. A profile without a mode gets the one its fields imply, in the
 * order of the CLI's automatic mode recognition.
 */
export function effectiveMode(profile: CliProfile): string {
  if (profile.mode.trim() !== '') {
    return normalizeMode(profile.mode);
  }
  if (profile.access_key_id && profile.access_key_secret) {
    if (profile.sts_token) {
      return 'StsToken';
    }
    return profile.ram_role_arn ? 'RamRoleArn' : 'AK';
  }
  if (profile.private_key && profile.key_pair_name) {
    return 'RsaKeyPair';
  }
  if (profile.ram_role_name) {
    return 'EcsRamRole';
  }
  if (profile.process_command) {
    return 'External';
  }
  if (profile.oidc_provider_arn && profile.oidc_token_file && profile.ram_role_arn) {
    return 'OIDC';
  }
  if (profile.cloud_sso_sign_in_url) {
    return 'CloudSSO';
  }
  if (profile.bearer_token) {
    return 'BearerToken';
  }
  return '';
}

export function isSupportedMode(mode: string): boolean {
  return (SUPPORTED_MODES as readonly string[]).includes(mode);
}

export interface ProfileLinkOptions {
  env: NodeJS.ProcessEnv;
  translate: Translate;
  library?: CredentialsLibrary;
  /** Time allowed for an External profile's command; 60 s unless set. */
  externalTimeoutMs?: number;
}

/**
 * Builds the provider for a profile of the CLI file. Throws a `CredentialError` that names the
 * profile when the profile cannot be used: an unknown or unsupported mode, a missing field, or
 * a loop of source profiles. Nothing is requested here; requests start at `getCredentials`.
 */
export function createProfileLink(
  config: CliConfiguration,
  profileName: string,
  options: ProfileLinkOptions,
): CredentialLink {
  return new ProfileLinkBuilder(config, options).build(profileName, []);
}

class ProfileLinkBuilder {
  private readonly library: CredentialsLibrary;

  constructor(
    private readonly config: CliConfiguration,
    private readonly options: ProfileLinkOptions,
  ) {
    this.library = options.library ?? loadCredentialsLibrary();
  }

  build(profileName: string, chain: string[]): CredentialLink {
    const profile = findProfile(this.config, profileName);
    if (!profile) {
      // Only a source_profile can name a missing profile here; the caller checked the first one.
      const parent = chain[chain.length - 1] ?? profileName;
      this.fail({
        kind: 'invalidProfile',
        profile: parent,
        mode: 'ChainableRamRoleArn',
        detail: `source_profile "${profileName}" does not exist`,
      });
    }
    const mode = effectiveMode(profile);
    if (!isSupportedMode(mode)) {
      this.fail({ kind: 'unsupportedMode', profile: profile.name, mode });
    }
    const require = (field: keyof CliProfile): string => {
      const value = profile[field];
      if (typeof value !== 'string' || value.trim() === '') {
        this.fail({ kind: 'missingField', profile: profile.name, mode, field });
      }
      return value.trim();
    };
    try {
      return this.buildMode(profile, mode, require, chain);
    } catch (error) {
      if (error instanceof CredentialError) {
        throw error;
      }
      // The library's builders reject out-of-range values, such as expired_seconds below 900.
      const detail = error instanceof Error ? error.message : String(error);
      if (/IMDS credentials is disabled/.test(detail)) {
        this.fail({ kind: 'metadataDisabled', profile: profile.name });
      }
      this.fail({ kind: 'invalidProfile', profile: profile.name, mode, detail });
    }
  }

  private buildMode(
    profile: CliProfile,
    mode: string,
    require: (field: keyof CliProfile) => string,
    chain: string[],
  ): CredentialLink {
    const library = this.library;
    switch (mode) {
      case 'AK':
        return library.StaticAKCredentialsProvider.builder()
          .withAccessKeyId(require('access_key_id'))
          .withAccessKeySecret(require('access_key_secret'))
          .build();
      case 'StsToken':
        return library.StaticSTSCredentialsProvider.builder()
          .withAccessKeyId(require('access_key_id'))
          .withAccessKeySecret(require('access_key_secret'))
          .withSecurityToken(require('sts_token'))
          .build();
      case 'RamRoleArn': {
        const accessKeyId = require('access_key_id');
        const accessKeySecret = require('access_key_secret');
        const roleArn = require('ram_role_arn');
        // The CLI also accepts an STS token on the AccessKey that assumes the role.
        const previous = profile.sts_token
          ? library.StaticSTSCredentialsProvider.builder()
              .withAccessKeyId(accessKeyId)
              .withAccessKeySecret(accessKeySecret)
              .withSecurityToken(profile.sts_token)
              .build()
          : library.StaticAKCredentialsProvider.builder()
              .withAccessKeyId(accessKeyId)
              .withAccessKeySecret(accessKeySecret)
              .build();
        return this.assumeRole(profile, roleArn, previous);
      }
      case 'ChainableRamRoleArn': {
        const source = require('source_profile');
        const roleArn = require('ram_role_arn');
        const visited = [...chain, profile.name];
        if (visited.includes(source)) {
          this.fail({
            kind: 'sourceProfileLoop',
            profile: visited[0],
            chain: [...visited, source],
          });
        }
        const previous = this.build(source, visited);
        return this.assumeRole(profile, roleArn, previous);
      }
      case 'EcsRamRole': {
        const builder = library.ECSRAMRoleCredentialsProvider.builder();
        if (profile.ram_role_name) {
          builder.withRoleName(profile.ram_role_name);
        }
        return builder.build();
      }
      case 'OIDC': {
        const builder = library.OIDCRoleArnCredentialsProvider.builder()
          .withOIDCProviderArn(require('oidc_provider_arn'))
          .withOIDCTokenFilePath(require('oidc_token_file'))
          .withRoleArn(require('ram_role_arn'));
        if (profile.ram_session_name) {
          builder.withRoleSessionName(profile.ram_session_name);
        }
        if (profile.expired_seconds) {
          builder.withDurationSeconds(profile.expired_seconds);
        }
        if (profile.sts_region) {
          builder.withStsRegionId(profile.sts_region);
        }
        if (profile.sts_endpoint) {
          builder.withStsEndpoint(profile.sts_endpoint);
        }
        if (profile.enable_vpc) {
          builder.withEnableVpc(true);
        }
        return builder.build();
      }
      case 'CredentialsURI': {
        // Like the CLI, a profile without credentials_uri falls back to the variable.
        const uri =
          profile.credentials_uri?.trim() || this.options.env.ALIBABA_CLOUD_CREDENTIALS_URI?.trim();
        if (!uri) {
          this.fail({
            kind: 'missingField',
            profile: profile.name,
            mode,
            field: 'credentials_uri',
          });
        }
        return library.URICredentialsProvider.builder().withCredentialsURI(uri).build();
      }
      case 'External':
        try {
          return new ExternalCredentialsProvider(require('process_command'), {
            env: this.options.env,
            timeoutMs: this.options.externalTimeoutMs,
          });
        } catch (error) {
          if (error instanceof ExternalCommandError) {
            this.fail({
              kind: 'invalidProfile',
              profile: profile.name,
              mode,
              detail: error.message,
            });
          }
          throw error;
        }
      default:
        this.fail({ kind: 'unsupportedMode', profile: profile.name, mode });
    }
  }

  private assumeRole(profile: CliProfile, roleArn: string, previous: CredentialLink) {
    const builder = this.library.RAMRoleARNCredentialsProvider.builder()
      .withCredentialsProvider(previous)
      .withRoleArn(roleArn);
    if (profile.ram_session_name) {
      builder.withRoleSessionName(profile.ram_session_name);
    }
    if (profile.expired_seconds) {
      builder.withDurationSeconds(profile.expired_seconds);
    }
    if (profile.external_id) {
      builder.withExternalId(profile.external_id);
    }
    if (profile.sts_region) {
      builder.withStsRegionId(profile.sts_region);
    }
    if (profile.sts_endpoint) {
      builder.withStsEndpoint(profile.sts_endpoint);
    }
    if (profile.enable_vpc) {
      builder.withEnableVpc(true);
    }
    return builder.build();
  }

  private fail(problem: CredentialProblem): never {
    throw new CredentialError(problem, this.options.translate);
  }
}
