// Credentials from environment variables, under the names the Alibaba Cloud SDKs read.

export const ENVIRONMENT_VARIABLES = {
  accessKeyId: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
  accessKeySecret: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  securityToken: 'ALIBABA_CLOUD_SECURITY_TOKEN',
} as const;

/**
 * Older or tool-specific names that some Alibaba Cloud tools read (Terraform's `ALICLOUD_*`, the
 * CLI's `ALIBABACLOUD_*` and `ALICLOUD_*` fallbacks). They are not read here. When only these are
 * set, the error message names the supported variables.
 */
export const LEGACY_VARIABLES = [
  'ALICLOUD_ACCESS_KEY',
  'ALICLOUD_SECRET_KEY',
  'ALICLOUD_ACCESS_KEY_ID',
  'ALICLOUD_ACCESS_KEY_SECRET',
  'ALICLOUD_SECURITY_TOKEN',
  'ALIBABACLOUD_ACCESS_KEY_ID',
  'ALIBABACLOUD_ACCESS_KEY_SECRET',
  'ALIBABACLOUD_SECURITY_TOKEN',
  'ALIBABA_CLOUD_ACCESS_KEY',
  'ALIBABA_CLOUD_SECRET_KEY',
] as const;

export interface EnvironmentCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export type EnvironmentReading =
  | { kind: 'complete'; credentials: EnvironmentCredentials }
  | { kind: 'incomplete'; present: string; missing: string }
  | { kind: 'absent'; legacyNames: string[] };

/** Reads the credential variables; a blank value counts as unset. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): EnvironmentReading {
  const accessKeyId = env[ENVIRONMENT_VARIABLES.accessKeyId]?.trim();
  const accessKeySecret = env[ENVIRONMENT_VARIABLES.accessKeySecret]?.trim();
  const securityToken = env[ENVIRONMENT_VARIABLES.securityToken]?.trim();
  if (accessKeyId && accessKeySecret) {
    return {
      kind: 'complete',
      credentials: { accessKeyId, accessKeySecret, securityToken: securityToken || undefined },
    };
  }
  if (accessKeyId) {
    return {
      kind: 'incomplete',
      present: ENVIRONMENT_VARIABLES.accessKeyId,
      missing: ENVIRONMENT_VARIABLES.accessKeySecret,
    };
  }
  if (accessKeySecret) {
    return {
      kind: 'incomplete',
      present: ENVIRONMENT_VARIABLES.accessKeySecret,
      missing: ENVIRONMENT_VARIABLES.accessKeyId,
    };
  }
  return { kind: 'absent', legacyNames: LEGACY_VARIABLES.filter((name) => env[name]?.trim()) };
}
