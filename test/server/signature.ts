import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { EcsApiError } from './errors';
import type { FixtureAccount } from './fixtureTypes';

/** Maximum difference between x-acs-date and the server clock that the gateway accepts. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const ALGORITHM = 'ACS3-HMAC-SHA256';
const AUTHORIZATION_PATTERN =
  /^ACS3-HMAC-SHA256 Credential=([^,\s]+),SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const REQUIRED_SIGNED_HEADERS = [
  'host',
  'x-acs-action',
  'x-acs-version',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-content-sha256',
];

export interface SignedRequest {
  method: string;
  /** Path without the query, for example `/`. */
  path: string;
  /** Raw query string without the leading `?`. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** RFC 3986 encoding as the ACS3 canonical query string requires. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Decodes one query component. `+` is a space, as in form encoding. */
export function decodeQueryComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new EcsApiError(
      'InvalidParameter',
      400,
      `The query component "${value}" is not valid percent-encoded UTF-8.`,
    );
  }
}

/** Splits a raw query string into decoded pairs, keeping their order. */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') {
      continue;
    }
    const equals = part.indexOf('=');
    const key = equals < 0 ? part : part.slice(0, equals);
    const value = equals < 0 ? '' : part.slice(equals + 1);
    pairs.push([decodeQueryComponent(key), decodeQueryComponent(value)]);
  }
  return pairs;
}

/** Orders strings by UTF-16 code units, as the SDK sorts query keys. */
function compareCodeUnits(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

function canonicalQueryString(pairs: Array<[string, string]>): string {
  return pairs
    .map(([key, value]) => [percentEncode(key), percentEncode(value)] as const)
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Builds the StringToSign of ACS3-HMAC-SHA256 for the headers listed in `signedHeaders`. */
export function buildStringToSign(request: SignedRequest, signedHeaders: string[]): string {
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(headerValue(request.headers, name) ?? '').trim()}\n`)
    .join('');
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.path,
    canonicalQueryString(parseQuery(request.rawQuery)),
    canonicalHeaders,
    signedHeaders.join(';'),
    headerValue(request.headers, 'x-acs-content-sha256') ?? '',
  ].join('\n');
  return `${ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

function incompleteSignature(detail: string): EcsApiError {
  return new EcsApiError(
    'IncompleteSignature',
    400,
    `The request signature is incomplete: ${detail}`,
  );
}

function signatureMismatch(detail: string): EcsApiError {
  return new EcsApiError(
    'SignatureDoesNotMatch',
    400,
    `The request signature does not conform to Aliyun standards. ${detail}`,
  );
}

/** Remembers the nonces of accepted requests for as long as their dates are acceptable. */
export class NonceCache {
  private readonly seen = new Map<string, number>();

  /** Returns false if the nonce was already used, otherwise stores it. */
  claim(nonce: string, nowMs: number): boolean {
    for (const [key, seenAt] of this.seen) {
      if (nowMs - seenAt > 2 * MAX_CLOCK_SKEW_MS) {
        this.seen.delete(key);
      }
    }
    if (this.seen.has(nonce)) {
      return false;
    }
    this.seen.set(nonce, nowMs);
    return true;
  }
}

/** Extracts the AccessKey ID from the Authorization header, or undefined if it has none. */
export function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  return AUTHORIZATION_PATTERN.exec(headerValue(headers, 'authorization') ?? '')?.[1];
}

/**
 * Verifies the ACS3-HMAC-SHA256 signature, date, nonce and STS token of a request and returns the
 * signing account. Raises EcsApiError with the gateway's code on the first failed check.
 */
export function verifyRequest(
  request: SignedRequest,
  accounts: FixtureAccount[],
  nonces: NonceCache,
  nowMs: number,
): FixtureAccount {
  const match = AUTHORIZATION_PATTERN.exec(headerValue(request.headers, 'authorization') ?? '');
  if (!match) {
    throw incompleteSignature(
      'the Authorization header is missing or not of the form ' +
        `"${ALGORITHM} Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>".`,
    );
  }
  const [, accessKeyId, signedHeaderList, signature] = match;
  const signedHeaders = signedHeaderList.split(';');
  const sortedHeaders = [...signedHeaders].sort();
  if (signedHeaders.join(';') !== sortedHeaders.join(';')) {
    throw incompleteSignature(`SignedHeaders must be sorted, got "${signedHeaderList}".`);
  }
  const securityTokenHeader = headerValue(request.headers, 'x-acs-security-token');
  const required = [...REQUIRED_SIGNED_HEADERS];
  if (securityTokenHeader !== undefined) {
    required.push('x-acs-security-token');
  }
  for (const name of required) {
    if (!signedHeaders.includes(name) || headerValue(request.headers, name) === undefined) {
      throw incompleteSignature(`the header "${name}" must be sent and listed in SignedHeaders.`);
    }
  }

  const account = accounts.find((candidate) => candidate.accessKeyId === accessKeyId);
  if (!account) {
    throw new EcsApiError(
      'InvalidAccessKeyId.NotFound',
      404,
      `Specified access key is not found: ${accessKeyId}.`,
    );
  }
  if (account.inactive) {
    throw new EcsApiError(
      'InvalidAccessKeyId.Inactive',
      403,
      `Specified access key is disabled: ${accessKeyId}.`,
    );
  }

  const bodyHash = sha256Hex(request.body);
  if (headerValue(request.headers, 'x-acs-content-sha256') !== bodyHash) {
    throw signatureMismatch(
      `The x-acs-content-sha256 header does not match the SHA-256 of the body (${bodyHash}).`,
    );
  }
  const stringToSign = buildStringToSign(request, signedHeaders);
  const expected = createHmac('sha256', account.accessKeySecret).update(stringToSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    throw signatureMismatch(`Server string to sign is: ${JSON.stringify(stringToSign)}`);
  }

  checkDate(headerValue(request.headers, 'x-acs-date') ?? '', nowMs);
  if (!nonces.claim(headerValue(request.headers, 'x-acs-signature-nonce') ?? '', nowMs)) {
    throw new EcsApiError('SignatureNonceUsed', 400, 'Specified signature nonce was used already.');
  }
  checkSecurityToken(account, securityTokenHeader);
  return account;
}

function checkDate(date: string, nowMs: number): void {
  const sentMs = DATE_PATTERN.test(date) ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(sentMs)) {
    throw new EcsApiError(
      'InvalidTimeStamp.Format',
      400,
      `Specified time stamp or date value is not well formatted: "${date}". Expected yyyy-MM-ddTHH:mm:ssZ in UTC.`,
    );
  }
  if (Math.abs(nowMs - sentMs) > MAX_CLOCK_SKEW_MS) {
    throw new EcsApiError(
      'InvalidTimeStamp.Expired',
      400,
      `Specified time stamp or date value is expired: ${date} is more than 15 minutes from the server time ${new Date(nowMs).toISOString()}.`,
    );
  }
}

function checkSecurityToken(account: FixtureAccount, sentToken: string | undefined): void {
  if (account.securityToken === undefined) {
    if (sentToken !== undefined) {
      throw new EcsApiError(
        'InvalidSecurityToken.Mismatch',
        400,
        'Specified SecurityToken mismatch with the AccessKey: this AccessKey takes no token.',
      );
    }
    return;
  }
  if (account.tokenExpired) {
    throw new EcsApiError(
      'InvalidSecurityToken.Expired',
      400,
      'Specified SecurityToken is expired.',
    );
  }
  // NOTE: the docs name no separate code for an STS AccessKey sent without a token, so a missing
  // token gets the same code as a wrong one.
  if (sentToken !== account.securityToken) {
    throw new EcsApiError(
      'InvalidSecurityToken.Mismatch',
      400,
      `Specified SecurityToken mismatch with the AccessKey${sentToken === undefined ? ': x-acs-security-token is missing' : ''}.`,
    );
  }
}
