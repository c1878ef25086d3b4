import * as vscode from 'vscode';
import { parseEndpoint, type EndpointParseResult } from '../ecs/endpoint';
import { effectiveGroupLimit } from '../service/rules';

export const SETTINGS_SECTION = 'alibabaCloud.ecs';

export const SETTING = {
  endpoint: 'endpoint',
  regions: 'regions',
  maxSecurityGroupsPerInstance: 'maxSecurityGroupsPerInstance',
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
