/**
 * An error returned by the ECS API, or a transport failure on the way to it.
 *
 * The SDK's own `message` repeats the code and the HTTP status
 * (`Code: code: 403, Message request id: ...`), so this keeps the fields apart and lets the UI
 * build its text from them.
 */
export class EcsApiError extends Error {
  override readonly name = 'EcsApiError';

  constructor(
    /** The API's error code, for example `IncorrectInstanceStatus`; `NetworkError` for transport failures. */
    readonly code: string,
    /** The HTTP status, or 0 when no response arrived. */
    readonly statusCode: number,
    /** The API's own message, without the code and status the SDK prepends. */
    readonly apiMessage: string,
    readonly requestId: string,
    /** The troubleshooting address the API returns in `Recommend`. */
    readonly recommend: string,
    readonly action: string,
    /** The wait the API asked for in `x-acs-retry-after`, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(apiMessage ? `${code}: ${apiMessage}` : code);
  }
}

/** The fields of an SDK error (`AlibabaCloudError` from `@alicloud/openapi-core`) that are read here. */
interface SdkErrorShape {
  code?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  requestId?: unknown;
  data?: unknown;
  message?: unknown;
}

function asText(value: unknown): string {
  return typeof value === 'string' && value !== 'undefined' ? value : '';
}

/** Transport failure codes that Node reports on `error.code`, kept as they came. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPROTO',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Converts whatever the SDK threw into an `EcsApiError`. */
export function toEcsApiError(error: unknown, action: string): EcsApiError {
  if (error instanceof EcsApiError) {
    return error;
  }
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const body = (typeof shape.data === 'object' && shape.data !== null ? shape.data : {}) as Record<
    string,
    unknown
  >;
  // The SDK's HTTP client appends "POST <url> failed." to Node's message with no space between.
  const rawMessage = (error instanceof Error ? error.message : String(error)).replace(
    /(\S)((?:GET|POST) https?:\/\/)/,
    '$1; $2',
  );
  const code = asText(body.Code) || asText(shape.code);
  const status = typeof shape.statusCode === 'number' ? shape.statusCode : 0;

  if (status === 0) {
    const networkCode = NETWORK_CODES.has(code)
      ? code
      : /socket hang up/i.test(rawMessage)
        ? 'ECONNRESET'
        : '';
    const timedOut =
      /timeout/i.test(rawMessage) ||
      asText((error as { name?: unknown }).name) === 'RequestTimeoutError';
    return new EcsApiError(
      timedOut ? 'RequestTimeout' : networkCode || 'NetworkError',
      0,
      rawMessage,
      '',
      '',
      action,
    );
  }
  return new EcsApiError(
    code || 'UnknownError',
    status,
    asText(body.Message) || rawMessage,
    asText(body.RequestId) || asText(shape.requestId),
    asText(body.Recommend),
    action,
    typeof shape.retryAfter === 'number' && Number.isFinite(shape.retryAfter)
      ? shape.retryAfter
      : undefined,
  );
}
