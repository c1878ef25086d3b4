// Searches of one region for Find Instance... and Find Security Group...: the text a user types
// is turned into the API's own filters, so that the server does the matching where it can.
import { PAGE_LIMITS, type EcsGateway, type InstanceFilter, type TagFilter } from './gateway';
import type { Instance, SecurityGroup } from './model';
import type { CancelSignal } from './retry';

export type InstanceQuery =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'ipAddress'; address: string }
  | { kind: 'tag'; tag: TagFilter }
  | { kind: 'name'; pattern: string };

export type GroupQuery = { kind: 'ids'; ids: string[] } | { kind: 'name'; text: string };

export interface SearchResult<T> {
  items: T[];
  /** True when the API had more matches than were fetched. */
  truncated: boolean;
}

const INSTANCE_ID = /^i-[0-9a-z]+$/i;
const GROUP_ID = /^sg-[0-9a-z]+$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Reads what the user typed: instance IDs (separated by spaces or commas), an IPv4 address,
 * a tag as `key=value` or `key=`, or else a name, in which `*` matches any text. A name without
 * `*` matches anywhere in the instance name. Returns undefined for blank text.
 */
export function parseInstanceQuery(text: string): InstanceQuery | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    return undefined;
  }
  const words = trimmed.split(/[\s,]+/);
  if (words.every((word) => INSTANCE_ID.test(word))) {
    return { kind: 'ids', ids: [...new Set(words)] };
  }
  if (isIpv4(trimmed)) {
    return { kind: 'ipAddress', address: trimmed };
  }
  // Instance names cannot contain "=", so text with one is a tag.
  const tag = /^(?:tag:)?([^=]+)=(.*)$/i.exec(trimmed);
  if (tag) {
    const value = tag[2].trim();
    return { kind: 'tag', tag: value ? { key: tag[1].trim(), value } : { key: tag[1].trim() } };
  }
  return { kind: 'name', pattern: trimmed.includes('*') ? trimmed : `*${trimmed}*` };
}

/** Reads security group IDs (separated by spaces or commas), or else a name. */
export function parseGroupQuery(text: string): GroupQuery | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    return undefined;
  }
  const words = trimmed.split(/[\s,]+/);
  if (words.every((word) => GROUP_ID.test(word))) {
    return { kind: 'ids', ids: [...new Set(words)] };
  }
  return { kind: 'name', text: trimmed };
}

/**
 * Builds the DescribeInstances filters that together find the query. IDs go in chunks of 100,
 * the most InstanceIds takes. An address is looked up as a VPC private, a public and a classic
 * inner IP.
 */
export function instanceFilters(query: InstanceQuery): InstanceFilter[] {
  switch (query.kind) {
    case 'ids':
      return chunks(query.ids, PAGE_LIMITS.idsPerCall).map((ids) => ({ instanceIds: ids }));
    case 'ipAddress':
      // NOTE: an EIP is looked up only through PublicIpAddresses. The API also has an
      // EipAddresses filter, which the local ECS server lacks, so it is not sent.
      return [
        { privateIpAddresses: [query.address] },
        { publicIpAddresses: [query.address] },
        { innerIpAddresses: [query.address] },
      ];
    case 'tag':
      return [{ tags: [query.tag] }];
    case 'name':
      return [{ instanceName: query.pattern }];
  }
}

/**
 * Runs the query's filters at once and merges their first pages, in the order of the filters.
 * Each filter sends one request of at most 100 instances.
 */
export async function findInstances(
  gateway: EcsGateway,
  regionId: string,
  query: InstanceQuery,
): Promise<SearchResult<Instance>> {
  const pages = await Promise.all(
    instanceFilters(query).map((filter) => gateway.listInstances(regionId, filter)),
  );
  return {
    items: uniqueBy(
      pages.flatMap((page) => page.items),
      (instance) => instance.instanceId,
    ),
    truncated: pages.some((page) => page.nextToken !== ''),
  };
}

/** Pages of the region's groups that a name search reads at most: 2,000 groups. */
export const NAME_SCAN_PAGES = 20;

/**
 * Finds groups by ID with the SecurityGroupIds filter, or by name. The API's SecurityGroupName
 * filter matches only the whole name, so a name search also reads the region's groups page by
 * page, up to NAME_SCAN_PAGES, and keeps those whose name or ID contains the text, ignoring
 * case. `onProgress` receives the matches found so far after each page.
 */
export async function findSecurityGroups(
  gateway: EcsGateway,
  regionId: string,
  query: GroupQuery,
  options: {
    signal?: CancelSignal;
    onProgress?: (result: SearchResult<SecurityGroup>) => void;
  } = {},
): Promise<SearchResult<SecurityGroup>> {
  if (query.kind === 'ids') {
    const pages = await Promise.all(
      chunks(query.ids, PAGE_LIMITS.idsPerCall).map((ids) =>
        gateway.listSecurityGroups(regionId, { securityGroupIds: ids }),
      ),
    );
    return { items: pages.flatMap((page) => page.items), truncated: false };
  }

  const exact = await gateway.listSecurityGroups(regionId, { securityGroupName: query.text });
  let found = exact.items;
  options.onProgress?.({ items: found, truncated: true });
  const needle = query.text.toLowerCase();
  let nextToken: string | undefined;
  for (let pages = 0; pages < NAME_SCAN_PAGES; pages++) {
    if (options.signal?.cancelled) {
      return { items: found, truncated: true };
    }
    const page = await gateway.listSecurityGroups(regionId, {}, nextToken);
    const matches = page.items.filter(
      (group) =>
        group.securityGroupName.toLowerCase().includes(needle) ||
        group.securityGroupId.toLowerCase().includes(needle),
    );
    found = uniqueBy([...found, ...matches], (group) => group.securityGroupId);
    nextToken = page.nextToken || undefined;
    if (!nextToken) {
      return { items: found, truncated: false };
    }
    options.onProgress?.({ items: found, truncated: true });
  }
  return { items: found, truncated: true };
}

function isIpv4(text: string): boolean {
  const match = IPV4.exec(text);
  return match !== null && match.slice(1).every((part) => Number(part) <= 255);
}

function chunks<T>(values: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < values.length; start += size) {
    result.push(values.slice(start, start + size));
  }
  return result;
}

function uniqueBy<T>(items: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
