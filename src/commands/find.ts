// Find Instance... and Find Security Group...: search one region as the user types, then reveal
// the chosen result in the tree.
import * as vscode from 'vscode';
import {
  findInstances,
  findSecurityGroups,
  parseGroupQuery,
  parseInstanceQuery,
  type SearchResult,
} from '../ecs/search';
import type { Instance, SecurityGroup } from '../ecs/model';
import { groupLabel, instanceLabel } from '../service/labels';
import { EcsNode, RegionNode, statusLabel } from '../tree/nodes';
import type { EcsTreeProvider } from '../tree/provider';
import type { Logger } from '../ui/logger';
import { pickRegion } from '../ui/pickers';
import type { Session } from '../ui/session';
import { UserCancelled } from './boundary';

export const FIND_COMMAND = {
  findInstance: 'alibabaCloud.ecs.findInstance',
  findSecurityGroup: 'alibabaCloud.ecs.findSecurityGroup',
} as const;

export interface FindDeps {
  session(): Session;
  tree: EcsTreeProvider;
  view: vscode.TreeView<EcsNode>;
  /** The region of the status bar, searched unless the command names another. */
  activeRegion(): string;
  logger: Logger;
}

/**
 * Arguments a caller may pass instead of typing: with `query`, the first match is revealed
 * without showing the search. A tree node, as a context menu passes, names its region.
 */
interface FindArguments {
  regionId?: string;
  query?: string;
}

type Register = <Args extends unknown[]>(
  id: string,
  handler: (...args: Args) => Promise<unknown>,
) => void;

export function registerFindCommands(register: Register, deps: FindDeps): void {
  register(FIND_COMMAND.findInstance, (args?: unknown) => findInstance(deps, readArguments(args)));
  register(FIND_COMMAND.findSecurityGroup, (args?: unknown) =>
    findSecurityGroup(deps, readArguments(args)),
  );
}

/** Time after the last keystroke before a search is sent, in milliseconds. */
const TYPING_DELAY_MS = 300;

/** Searches a region for instances and reveals the one chosen. Returns it. */
export async function findInstance(deps: FindDeps, args: FindArguments = {}): Promise<Instance> {
  const search = (regionId: string, text: string) => {
    const query = parseInstanceQuery(text);
    return query
      ? findInstances(deps.session().gateway, regionId, query)
      : Promise.resolve({ items: [], truncated: false });
  };
  const instance = await chooseResult<Instance>(deps, args, {
    title: (regionId) => vscode.l10n.t('Find Instance in {0}', regionId),
    placeholder: vscode.l10n.t(
      'Name (* matches any text), instance ID, private or public IP address, or tag key=value',
    ),
    search: (regionId, text) => search(regionId, text),
    toItem: (found) => ({
      label: found.instanceName || found.instanceId,
      description: [
        found.instanceId,
        statusLabel(found.status),
        ...found.privateIpAddresses,
        ...found.publicIpAddresses,
      ].join(' · '),
      detail: found.vpcId || vscode.l10n.t('classic'),
    }),
  });
  await reveal(deps, deps.tree.showInstance(instance), instanceLabel(instance), instance.regionId);
  return instance;
}

/** Searches a region for security groups and reveals the one chosen. Returns it. */
export async function findSecurityGroup(
  deps: FindDeps,
  args: FindArguments = {},
): Promise<SecurityGroup> {
  const group = await chooseResult<SecurityGroup>(deps, args, {
    title: (regionId) => vscode.l10n.t('Find Security Group in {0}', regionId),
    placeholder: vscode.l10n.t('Security group name or ID'),
    search: (regionId, text, onProgress, signal) => {
      const query = parseGroupQuery(text);
      return query
        ? findSecurityGroups(deps.session().gateway, regionId, query, { onProgress, signal })
        : Promise.resolve({ items: [], truncated: false });
    },
    toItem: (found) => ({
      label: found.securityGroupName || found.securityGroupId,
      description: [
        found.securityGroupId,
        found.type === 'enterprise' ? vscode.l10n.t('enterprise') : vscode.l10n.t('normal'),
      ].join(' · '),
      detail: found.vpcId || vscode.l10n.t('classic'),
    }),
  });
  await reveal(deps, deps.tree.showGroup(group), groupLabel(group), group.regionId);
  return group;
}

interface SearchOptions<T> {
  title(regionId: string): string;
  placeholder: string;
  search(
    regionId: string,
    text: string,
    onProgress: (result: SearchResult<T>) => void,
    signal: { readonly cancelled: boolean },
  ): Promise<SearchResult<T>>;
  toItem(found: T): { label: string; description: string; detail: string };
}

function readArguments(args: unknown): FindArguments {
  if (args instanceof EcsNode) {
    return { regionId: regionOf(args) };
  }
  if (typeof args !== 'object' || args === null) {
    return {};
  }
  const { regionId, query } = args as Record<string, unknown>;
  return {
    regionId: typeof regionId === 'string' ? regionId : undefined,
    query: typeof query === 'string' ? query : undefined,
  };
}

function regionOf(node: EcsNode | undefined): string | undefined {
  for (let current = node; current; current = current.parent) {
    if (current instanceof RegionNode) {
      return current.region.regionId;
    }
  }
  return undefined;
}

async function chooseResult<T>(
  deps: FindDeps,
  args: FindArguments,
  options: SearchOptions<T>,
): Promise<T> {
  let regionId = args.regionId ?? deps.activeRegion();
  if (args.query !== undefined) {
    const result = await options.search(regionId, args.query, () => undefined, {
      cancelled: false,
    });
    const [first] = result.items;
    if (first === undefined) {
      throw new Error(vscode.l10n.t('Nothing in {0} matches "{1}".', regionId, args.query));
    }
    return first;
  }
  for (;;) {
    const choice = await showSearch(deps, regionId, options);
    if (choice.kind === 'chosen') {
      return choice.value;
    }
    regionId = (await pickRegion(deps.session(), regionId)).regionId;
  }
}

interface ResultItem<T> extends vscode.QuickPickItem {
  value?: T;
}

type SearchChoice<T> = { kind: 'chosen'; value: T } | { kind: 'switchRegion' };

/**
 * Shows a quick pick that searches as the user types. Results come from the API, so every row
 * is shown whatever the quick pick's own matching thinks of it.
 */
function showSearch<T>(
  deps: FindDeps,
  regionId: string,
  options: SearchOptions<T>,
): Promise<SearchChoice<T>> {
  const pick = vscode.window.createQuickPick<ResultItem<T>>();
  const title = options.title(regionId);
  const switchRegion: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('globe'),
    tooltip: vscode.l10n.t('Search Another Region'),
  };
  pick.title = title;
  pick.placeholder = options.placeholder;
  pick.buttons = [switchRegion];
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;

  let searches = 0;
  let timer: NodeJS.Timeout | undefined;
  let current = { cancelled: false };
  const show = (result: SearchResult<T>, done: boolean) => {
    pick.items = result.items.map((found) => ({
      ...options.toItem(found),
      alwaysShow: true,
      value: found,
    }));
    pick.title =
      done && result.truncated
        ? vscode.l10n.t('{0} (more matches exist; refine the search)', title)
        : title;
  };
  const search = (text: string) => {
    current.cancelled = true;
    const signal = { cancelled: false };
    current = signal;
    const number = ++searches;
    pick.busy = true;
    options
      .search(
        regionId,
        text,
        (partial) => {
          if (!signal.cancelled) {
            show(partial, false);
          }
        },
        signal,
      )
      .then(
        (result) => {
          if (number === searches) {
            show(result, true);
            if (result.items.length === 0 && text.trim() !== '') {
              pick.items = [{ label: vscode.l10n.t('No matches'), alwaysShow: true }];
            }
          }
        },
        (error: unknown) => {
          if (number === searches) {
            const message = error instanceof Error ? error.message : String(error);
            deps.logger.error(`Search of ${regionId} for "${text}" failed: ${message}`);
            pick.items = [
              { label: vscode.l10n.t('Search failed: {0}', message), alwaysShow: true },
            ];
          }
        },
      )
      .finally(() => {
        if (number === searches) {
          pick.busy = false;
        }
      });
  };

  return new Promise<SearchChoice<T>>((resolve, reject) => {
    let settled = false;
    const settle = (choice: SearchChoice<T>) => {
      settled = true;
      resolve(choice);
      pick.hide();
    };
    pick.onDidChangeValue((text) => {
      clearTimeout(timer);
      timer = setTimeout(() => search(text), TYPING_DELAY_MS);
    });
    pick.onDidAccept(() => {
      const [selected] = pick.selectedItems;
      if (selected?.value !== undefined) {
        settle({ kind: 'chosen', value: selected.value });
      }
    });
    pick.onDidTriggerButton((button) => {
      if (button === switchRegion) {
        settle({ kind: 'switchRegion' });
      }
    });
    pick.onDidHide(() => {
      clearTimeout(timer);
      current.cancelled = true;
      pick.dispose();
      if (!settled) {
        reject(new UserCancelled());
      }
    });
    pick.show();
  });
}

/** Reveals and selects the node and logs it; throws with the reason if the reveal fails. */
async function reveal(deps: FindDeps, node: EcsNode, label: string, regionId: string) {
  try {
    await deps.tree.reveal(deps.view, node, { select: true, focus: true, expand: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    deps.logger.error(`Revealing ${node.id} failed: ${reason}`);
    throw new Error(
      vscode.l10n.t(
        '{0} could not be shown in the tree. Check that region {1} is shown (Show or Hide Regions...), then try again.',
        label,
        regionId,
      ),
    );
  }
  deps.logger.info(`Revealed ${node.id}`);
}
