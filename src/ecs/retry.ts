import type { EcsApiError } from './errors';

/** Codes of failures after which the request may or may not have been applied by the API. */
const AMBIGUOUS_CODES = new Set(['RequestTimeout', 'ECONNRESET', 'NetworkError', 'ETIMEDOUT']);

/** Codes of failures where the request never reached the API, so sending it again is safe. */
const UNSENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Tells whether an error is worth another attempt: throttling, `OperationConflict`,
 * 5xx responses, timeouts and dropped connections. Rule errors (other 4xx responses) are never
 * retried.
 */
export function isRetryable(error: EcsApiError): boolean {
  if (error.code.includes('Throttling') || error.code === 'OperationConflict') {
    return true;
  }
  if (error.statusCode >= 500) {
    return true;
  }
  return (
    error.statusCode === 0 && (AMBIGUOUS_CODES.has(error.code) || UNSENT_CODES.has(error.code))
  );
}

/** Tells whether the failed request may have been applied although no response arrived. */
export function mayHaveBeenApplied(error: EcsApiError): boolean {
  return error.statusCode === 0 && AMBIGUOUS_CODES.has(error.code);
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The wait before the second attempt; each later wait doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
};

/**
 * Returns the wait before attempt `attempt + 1`: the API's `x-acs-retry-after` when it sent
 * one, otherwise exponential backoff with full jitter (a random wait between 0 and the cap).
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  error: EcsApiError,
  random: () => number,
): number {
  if (error.retryAfterMs !== undefined && error.retryAfterMs >= 0) {
    return Math.min(error.retryAfterMs, policy.maxDelayMs * 4);
  }
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * cap);
}

/** A signal that stops retries; the batch runner's cancellation sets it. */
export interface CancelSignal {
  readonly cancelled: boolean;
}

/** Details of a retry, for the log and the progress text. */
export interface RetryEvent {
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  error: EcsApiError;
}
