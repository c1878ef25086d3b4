// What the UI tests know about this extension's contributions and the fixture, shared by the
// suites.
import type { EcsServer, RecordedRequest } from '../server/ecsServer';
import type { Screenshots } from './harness';
import type { WorkbenchPage } from './workbenchPage';
import type { Locator } from 'playwright-core';

export const EXTENSION_ID = 'ecs-tools.alibaba-cloud-ecs-security-groups';
/** DOM id of the status bar item: the extension id, then the id given to createStatusBarItem. */
export const STATUS_BAR_ITEM_ID = `${EXTENSION_ID}.alibabaCloud.ecs.status`;
/** AccessKey ID of the CLI profile in test/fixtures/home/.aliyun/config.json. */
export const FIXTURE_ACCESS_KEY_ID = 'LTAI5tFixtureAccessKey01';

/** The shape of ECS RequestIds, which the local ECS server generates as uppercase UUIDs. */
export const REQUEST_ID_PATTERN = '[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}';

/**
 * Expands the tree row by row along `labels`, from a region (level 1) down, with a screenshot
 * after each expansion, and returns the last row.
 */
export async function revealTreeItem(
  ui: WorkbenchPage,
  shots: Screenshots,
  labels: string[],
): Promise<Locator> {
  let row = ui.treeItem(labels[0], 1);
  await row.waitFor();
  for (const [index, label] of labels.slice(1).entries()) {
    const level = index + 1;
    const wasExpanded = (await row.getAttribute('aria-expanded')) === 'true';
    await ui.expand(row);
    row = ui.treeItem(label, level + 1);
    await row.waitFor();
    if (!wasExpanded) {
      await shots.take(stepName(`expanded-${level}`, labels[index]));
    }
  }
  return row;
}

export function requestsOf(ecs: EcsServer, action: string): RecordedRequest[] {
  return ecs.requests.filter((request) => request.action === action);
}

/** Returns the security group IDs of an instance in the local ECS server's live state. */
export function groupsOf(ecs: EcsServer, instanceId: string): string[] | undefined {
  return ecs.state.instances.find((instance) => instance.instanceId === instanceId)
    ?.securityGroupIds;
}

/** `<prefix>-<ASCII words of the label>`, or the prefix alone for a label without any. */
function stepName(prefix: string, label: string): string {
  const words = label.toLowerCase().match(/[a-z]{2,}/g) ?? [];
  return [prefix, ...words].join('-');
}
