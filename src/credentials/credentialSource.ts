/** Credentials as the SDK signs with them. */
export interface ResolvedCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** Where the chain found them, for example `default/env` or `default/cli_profile`. */
  providerName: string;
}

/** The object the SDK's `Config.credential` expects: only `getCredential()` is called per request. */
export interface SdkCredential {
  getCredential(): Promise<{
    accessKeyId: string;
    accessKeySecret: string;
    securityToken: string;
    bearerToken?: string;
    type: string;
    providerName: string;
  }>;
}

export interface CredentialProvider {
  resolve(): Promise<ResolvedCredentials>;
  asSdkCredential(): SdkCredential;
}

/** The error raised when no source in the chain supplied credentials. */
export class NoCredentialsError extends Error {
  override readonly name = 'NoCredentialsError';
  constructor(readonly details: string) {
    super(`No Alibaba Cloud credentials were found: ${details}`);
  }
}

type CredentialsLibrary = typeof import('@alicloud/credentials');

/** The part of the library's providers used here: each returns credentials or throws. */
interface ChainLink {
  getCredentials(): Promise<{
    accessKeyId: string;
    accessKeySecret: string;
    securityToken: string;
    providerName: string;
  }>;
  getProviderName(): string;
}

/**
 * Builds the providers of the chain, in the order of the library's default chain: environment
 * variables, OIDC, the current profile of `~/.aliyun/config.json`, `~/.alibabacloud/credentials`,
 * the ECS metadata service and a credentials URI.
 *
 * NOTE: `DefaultCredentialsProvider` of `@alicloud/credentials` 2.4.7 always adds the URI
 * provider, which then requests `https://undefined` when ALIBABA_CLOUD_CREDENTIALS_URI is unset,
 * so the chain is assembled here and the OIDC, metadata and URI providers are added only when
 * their variables are set.
 */
function buildChain(library: CredentialsLibrary, env: NodeJS.ProcessEnv): ChainLink[] {
  const links: Array<() => ChainLink> = [
    () => library.EnvironmentVariableCredentialsProvider.builder().build(),
  ];
  if (
    env.ALIBABA_CLOUD_ROLE_ARN &&
    env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN &&
    env.ALIBABA_CLOUD_OIDC_TOKEN_FILE
  ) {
    links.push(() => library.OIDCRoleArnCredentialsProvider.builder().build());
  }
  links.push(() => library.CLIProfileCredentialsProvider.builder().build());
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

/**
 * Credentials from the sources of the `@alicloud/credentials` default chain. The first source
 * that supplies credentials is kept, so role-based credentials refresh inside their provider.
 * The ECS metadata service is asked only when ALIBABA_CLOUD_ECS_METADATA names a role.
 *
 * After a failure the chosen source is dropped and the next call builds a new chain: the
 * library's own chain remembers a failed provider and reports its error ever after.
 */
export class DefaultChainCredentials implements CredentialProvider {
  private chosen: ChainLink | undefined;

  /** `onResolved` sees every credential found, so that a redactor can learn the values to hide. */
  constructor(
    private readonly onResolved?: (found: ResolvedCredentials) => void,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async resolve(): Promise<ResolvedCredentials> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const library = require('@alicloud/credentials') as CredentialsLibrary;
    const candidates = this.chosen ? [this.chosen] : buildChain(library, this.env);
    const errors: string[] = [];
    for (const link of candidates) {
      try {
        const found = await link.getCredentials();
        this.chosen = link;
        const resolved: ResolvedCredentials = {
          accessKeyId: found.accessKeyId,
          accessKeySecret: found.accessKeySecret,
          securityToken: found.securityToken || undefined,
          providerName: found.providerName || link.getProviderName(),
        };
        this.onResolved?.(resolved);
        return resolved;
      } catch (error) {
        errors.push(
          `${link.getProviderName()}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    this.chosen = undefined;
    throw new NoCredentialsError(errors.join('; ') || 'no source is configured');
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
}

/** Masks an AccessKey ID to its first 4 and last 2 characters, e.g. `LTAI****01`. */
export function maskAccessKeyId(accessKeyId: string): string {
  if (accessKeyId.length <= 6) {
    return '*'.repeat(accessKeyId.length);
  }
  return `${accessKeyId.slice(0, 4)}****${accessKeyId.slice(-2)}`;
}
