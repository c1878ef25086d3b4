import * as vscode from 'vscode';
import { parseEndpoint, type EndpointParseResult } from '../ecs/endpoint';
import { effectiveGroupLimit } from '../service/rules';

export const SETTINGS_SECTION = 'alibabaCloud.ecs';

export const SETTING = {
  endpoint: 'endpoint',
  regions: 'regions',
  maxSecurityGroupsPerInstance: 'maxSecurityGroupsPerInstance',
  concurrencyPerRegion: 'concurrencyPerRegion',
  folderPageSize: 'folderPageSize',
} as const;

/**
 * Reads the endpoint from user or machine settings only. A workspace value is ignored even in a
 * trusted folder: every request carries the AccessKey ID and a signature, so a cloned repository
 * must not be able to send them elsewhere.
 */
export function readEndpoint(): EndpointParseResult {
  const inspected = vscode.workspace
    .getConfiguration(SETTINGS_SECTION)
    .inspect<string>(SETTING.endpoint);
  return parseEndpoint(inspected?.globalValue ?? inspected?.defaultValue ?? '');
}

/** The region IDs to show; empty means every region DescribeRegions returns. */
export function readRegionFilter(): string[] {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>(SETTING.regions);
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

export function readGroupsPerInstance(): number {
  return effectiveGroupLimit(
    vscode.workspace
      .getConfiguration(SETTINGS_SECTION)
      .get<number>(SETTING.maxSecurityGroupsPerInstance),
  );
}

/** Requests in flight at once per region during a batch; 5 unless set, between 1 and 20. */
export function readConcurrencyPerRegion(): number {
  const value = vscode.workspace
    .getConfiguration(SETTINGS_SECTION)
    .get<number>(SETTING.concurrencyPerRegion);
  if (value === undefined || !Number.isFinite(value)) {
    return 5;
  }
  return Math.min(20, Math.max(1, Math.floor(value)));
}

/** Items a folder of the tree shows before its Load More row; 500 unless set, 10 to 5000. */
export function readFolderPageSize(): number {
  const value = vscode.workspace
    .getConfiguration(SETTINGS_SECTION)
    .get<number>(SETTING.folderPageSize);
  if (value === undefined || !Number.isFinite(value)) {
    return 500;
  }
  return Math.min(5000, Math.max(10, Math.floor(value)));
}
