import type { DefaultCredentialsProvider } from '@alicloud/credentials';

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

/**
 * Credentials from the `@alicloud/credentials` default chain: environment variables, OIDC, the
 * current profile of `~/.aliyun/config.json`, `~/.alibabacloud/credentials`, the ECS metadata
 * service (unless `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`) and a credentials URI.
 *
 * NOTE: the library's chain remembers the last provider it tried, even a failed one, and then
 * reports that provider's error for every later call. A failed lookup therefore drops the chain
 * and the next call builds a new one.
 */
export class DefaultChainCredentials implements CredentialProvider {
  private chain: DefaultCredentialsProvider | undefined;

  /** `onResolved` sees every credential found, so that a redactor can learn the values to hide. */
  constructor(private readonly onResolved?: (found: ResolvedCredentials) => void) {}

  async resolve(): Promise<ResolvedCredentials> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const library = require('@alicloud/credentials') as typeof import('@alicloud/credentials');
    this.chain ??= library.DefaultCredentialsProvider.builder().build();
    try {
      const found = await this.chain.getCredentials();
      const resolved: ResolvedCredentials = {
        accessKeyId: found.accessKeyId,
        accessKeySecret: found.accessKeySecret,
        securityToken: found.securityToken || undefined,
        providerName: found.providerName,
      };
      this.onResolved?.(resolved);
      return resolved;
    } catch (error) {
      this.chain = undefined;
      const message = error instanceof Error ? error.message : String(error);
      throw new NoCredentialsError(message);
    }
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
