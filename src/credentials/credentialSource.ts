// The credential types the gateway and the UI share, and the AccessKey ID mask.

/** Credentials as the SDK signs with them. */
export interface ResolvedCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** The provider that supplied them, for example `cli_profile/static_ak` or `env`. */
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

/** The error raised when no source supplied credentials and nothing hints at why. */
export class NoCredentialsError extends Error {
  override readonly name = 'NoCredentialsError';
  constructor(readonly details: string) {
    super(`No Alibaba Cloud credentials were found: ${details}`);
  }
}

/** Masks an AccessKey ID to its first 4 and last 2 characters, e.g. `LTAI****01`. */
export function maskAccessKeyId(accessKeyId: string): string {
  if (accessKeyId.length <= 6) {
    return '*'.repeat(accessKeyId.length);
  }
  return `${accessKeyId.slice(0, 4)}****${accessKeyId.slice(-2)}`;
}
