import { maskAccessKeyId } from '../credentials/credentialSource';

/**
 * Removes secrets from text bound for the log or a notification. Known values (AccessKey secrets,
 * STS tokens) are replaced wherever they appear; AccessKey IDs are masked; signatures and
 * `authorization` header values are dropped by pattern, so they are caught even when unknown.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly accessKeyIds = new Set<string>();

  /** Registers values to hide. Values shorter than 4 characters are ignored, as too likely to occur by chance. */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) {
      this.secrets.add(value);
    }
  }

  addAccessKeyId(value: string | undefined): void {
    if (value && value.length >= 4) {
      this.accessKeyIds.add(value);
    }
  }

  /** Registers the secret, token and AccessKey ID of a set of credentials. */
  addCredentials(found: {
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
  }): void {
    this.addSecret(found.accessKeySecret);
    this.addSecret(found.securityToken);
    this.addAccessKeyId(found.accessKeyId);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) {
      result = result.split(secret).join('[redacted]');
    }
    for (const id of this.accessKeyIds) {
      result = result.split(id).join(maskAccessKeyId(id));
    }
    return result
      .replace(/(authorization["']?\s*[:=]\s*["']?)[^"'\n]+/gi, '$1[redacted]')
      .replace(/(Signature=)[0-9a-f]{16,}/gi, '$1[redacted]')
      .replace(/(x-acs-security-token["']?\s*[:=]\s*["']?)[^"'\s,]+/gi, '$1[redacted]')
      .replace(/\b(LTAI[0-9A-Za-z]{4,})\b/g, (match) => maskAccessKeyId(match))
      .replace(/\b(STS\.[0-9A-Za-z]{4,})\b/g, (match) => maskAccessKeyId(match));
  }
}
