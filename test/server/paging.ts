import { EcsApiError, invalidParameter } from './errors';
import type { RequestParams } from './params';

/** Paging limits of one Describe action, as its API page states them. */
export interface PagingRules {
  /** Range of MaxResults in token mode. Absent for actions that only have PageNumber/PageSize. */
  maxResults?: { min: number; max: number; default: number };
  /** True when the API raises values outside the range to min or lowers them to max. */
  clampMaxResults?: boolean;
  /** Maximum PageSize in legacy page mode. */
  maxPageSize: number;
  defaultPageSize: number;
}

export interface PageWindow {
  /** `token` when the request sent MaxResults or NextToken, `page` for PageNumber/PageSize. */
  mode: 'token' | 'page';
  offset: number;
  limit: number;
  pageNumber: number;
}

export interface Page<T> {
  items: T[];
  totalCount: number;
  pageNumber: number;
  pageSize: number;
  /** Position of the next page, in both modes. Empty string on the last page. */
  nextToken: string;
}

interface TokenPayload {
  action: string;
  offset: number;
}

/** Encodes the position after a page. The client must treat the token as opaque. */
export function encodeNextToken(action: string, offset: number): string {
  const payload: TokenPayload = { action, offset };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function invalidNextToken(token: string): EcsApiError {
  return new EcsApiError(
    'InvalidNextToken',
    400,
    `The specified NextToken "${token}" is not valid. Send the NextToken of the previous response unchanged.`,
  );
}

export function decodeNextToken(action: string, token: string): number {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidNextToken(token);
  }
  const candidate = payload as Partial<TokenPayload> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    candidate.action !== action ||
    !Number.isInteger(candidate.offset) ||
    (candidate.offset ?? -1) < 0 ||
    encodeNextToken(action, candidate.offset ?? 0) !== token
  ) {
    throw invalidNextToken(token);
  }
  return candidate.offset ?? 0;
}

function readMaxResults(
  params: RequestParams,
  range: { min: number; max: number; default: number },
  clamp: boolean,
): number {
  const { min, max } = range;
  if (!clamp) {
    return params.integer('MaxResults', min, max) ?? range.default;
  }
  const value = params.integer('MaxResults', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (value === undefined) {
    return range.default;
  }
  return Math.min(max, Math.max(min, value));
}

/**
 * Reads the paging parameters. NextToken or MaxResults select token mode, in which PageNumber and
 * PageSize are ignored. Otherwise PageNumber/PageSize apply.
 */
export function readPageWindow(
  params: RequestParams,
  action: string,
  rules: PagingRules,
): PageWindow {
  const token = params.get('NextToken');
  const range = rules.maxResults;
  if (range && (token !== undefined || params.get('MaxResults') !== undefined)) {
    const limit = readMaxResults(params, range, rules.clampMaxResults ?? false);
    const offset = token === undefined ? 0 : decodeNextToken(action, token);
    return { mode: 'token', offset, limit, pageNumber: 1 };
  }
  const pageNumber = params.integer('PageNumber', 1, Number.MAX_SAFE_INTEGER) ?? 1;
  const limit = params.integer('PageSize', 1, rules.maxPageSize) ?? rules.defaultPageSize;
  if (!Number.isSafeInteger((pageNumber - 1) * limit)) {
    throw invalidParameter('PageNumber', `is too large: ${pageNumber}.`);
  }
  return { mode: 'page', offset: (pageNumber - 1) * limit, limit, pageNumber };
}

/** Cuts one page out of the full, already filtered and ordered result list. */
export function paginate<T>(items: T[], window: PageWindow, action: string): Page<T> {
  const end = window.offset + window.limit;
  const pageItems = items.slice(window.offset, end);
  const hasMore = end < items.length;
  return {
    items: pageItems,
    totalCount: items.length,
    pageNumber: window.pageNumber,
    pageSize: window.limit,
    nextToken: hasMore ? encodeNextToken(action, end) : '',
  };
}
