import { EcsApiError, invalidParameter, missingParameter } from './errors';
import type { FixtureTag } from './fixtureTypes';

/** Decoded request parameters of one RPC call, with the API's parsing rules. */
export class RequestParams {
  constructor(readonly values: Readonly<Record<string, string>>) {}

  /** Returns the value, or undefined when the parameter is absent or empty. */
  get(name: string): string | undefined {
    const value = this.values[name];
    return value === undefined || value === '' ? undefined : value;
  }

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  require(name: string): string {
    const value = this.get(name);
    if (value === undefined) {
      throw missingParameter(name);
    }
    return value;
  }

  /** Parses an integer parameter and rejects it with InvalidParameter outside [min, max]. */
  integer(name: string, min: number, max: number): number | undefined {
    const raw = this.get(name);
    if (raw === undefined) {
      return undefined;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw invalidParameter(name, `must be an integer from ${min} to ${max}, got "${raw}".`);
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const raw = this.get(name);
    if (raw === undefined) {
      return undefined;
    }
    if (raw !== 'true' && raw !== 'false') {
      throw invalidParameter(name, `must be true or false, got "${raw}".`);
    }
    return raw === 'true';
  }

  /** Checks that the value is one of `allowed`. */
  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const raw = this.get(name);
    if (raw === undefined) {
      return undefined;
    }
    if (!(allowed as readonly string[]).includes(raw)) {
      throw invalidParameter(name, `must be one of ${allowed.join(', ')}, got "${raw}".`);
    }
    return raw as T;
  }

  /**
   * Parses a parameter sent as one string holding a JSON array of strings, such as
   * `InstanceIds=["i-1","i-2"]`. An empty array is a real filter that matches nothing.
   */
  jsonArray(
    name: string,
    maxItems: number,
    malformedCode = 'InvalidParameter',
  ): string[] | undefined {
    const raw = this.get(name);
    if (raw === undefined) {
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
      throw new EcsApiError(
        malformedCode,
        400,
        `The specified parameter "${name}" must be a JSON array of strings, got ${raw}.`,
      );
    }
    if (parsed.length > maxItems) {
      throw invalidParameter(
        name,
        `contains ${parsed.length} items, more than the maximum ${maxItems}.`,
      );
    }
    return parsed as string[];
  }

  /**
   * Collects a flattened list such as `NetworkInterfaceId.1`, `NetworkInterfaceId.2`, ordered by
   * index. Returns undefined when no item is present.
   */
  indexedList(prefix: string, maxItems: number): string[] | undefined {
    const items = this.indexedEntries(prefix)
      .filter((entry) => entry.field === '')
      .map((entry) => entry.value);
    if (items.length === 0) {
      return undefined;
    }
    if (items.length > maxItems) {
      throw invalidParameter(
        prefix,
        `contains ${items.length} items, more than the maximum ${maxItems}.`,
      );
    }
    return items;
  }

  /** Collects `Tag.N.Key` / `Tag.N.Value` pairs. A tag without a value matches any value. */
  tags(maxItems = 20): Array<{ key: string; value: string | undefined }> {
    const byIndex = new Map<number, { key?: string; value?: string }>();
    for (const entry of this.indexedEntries('Tag')) {
      const tag = byIndex.get(entry.index) ?? {};
      if (entry.field === 'Key') {
        tag.key = entry.value;
      } else if (entry.field === 'Value') {
        tag.value = entry.value;
      }
      byIndex.set(entry.index, tag);
    }
    if (byIndex.size > maxItems) {
      throw invalidParameter(
        'Tag',
        `contains ${byIndex.size} tags, more than the maximum ${maxItems}.`,
      );
    }
    const tags: Array<{ key: string; value: string | undefined }> = [];
    for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
      const tag = byIndex.get(index) ?? {};
      if (tag.key === undefined || tag.key === '') {
        throw missingParameter(`Tag.${index}.Key`);
      }
      tags.push({ key: tag.key, value: tag.value === '' ? undefined : tag.value });
    }
    return tags;
  }

  private indexedEntries(prefix: string): Array<{ index: number; field: string; value: string }> {
    const pattern = new RegExp(`^${prefix.replace('.', '\\.')}\\.(\\d+)(?:\\.(\\w+))?$`);
    const entries: Array<{ index: number; field: string; value: string }> = [];
    for (const [name, value] of Object.entries(this.values)) {
      const match = pattern.exec(name);
      if (match && value !== '') {
        entries.push({ index: Number(match[1]), field: match[2] ?? '', value });
      }
    }
    return entries.sort((a, b) => a.index - b.index);
  }
}

/** Checks whether a resource's tags contain every requested tag. */
export function matchesTags(
  resourceTags: FixtureTag[] | undefined,
  requested: Array<{ key: string; value: string | undefined }>,
): boolean {
  return requested.every((tag) =>
    (resourceTags ?? []).some(
      (own) => own.key === tag.key && (tag.value === undefined || own.value === tag.value),
    ),
  );
}

/** Renders tags in the API's `Tags: { Tag: [{ TagKey, TagValue }] }` shape. */
export function renderTags(tags: FixtureTag[] | undefined): { Tag: Array<Record<string, string>> } {
  return { Tag: (tags ?? []).map((tag) => ({ TagKey: tag.key, TagValue: tag.value })) };
}
