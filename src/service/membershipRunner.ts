// Sends the changes of a plan, a bounded number at a time per region, and reports every item.
import { toEcsApiError, type EcsApiError } from '../ecs/errors';
import type { EcsGateway } from '../ecs/gateway';
import type { CancelSignal, RetryEvent } from '../ecs/retry';
import type { Translate } from '../i18n/translate';
import { describeApiError } from './messages';
import type { MembershipAction, MembershipPlan, PlannedChange } from './membershipPlan';

export type ItemResult =
  | {
      status: 'done';
      item: PlannedChange;
      requestId: string;
      confirmedByRetry: boolean;
      message: string;
    }
  | { status: 'failed'; item: PlannedChange; error: EcsApiError; message: string }
  | { status: 'skipped'; item: PlannedChange; message: string }
  | { status: 'cancelled'; item: PlannedChange; message: string };

export interface BatchSummary {
  action: MembershipAction;
  /** One result per item of the plan, in the plan's order. */
  results: ItemResult[];
  done: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

export interface RunOptions {
  gateway: EcsGateway;
  translate: Translate;
  /** Requests in flight at once in each region. */
  concurrencyPerRegion: number;
  signal?: CancelSignal;
  /** Called after each item finishes, with the count finished so far. */
  onItem?: (result: ItemResult, finished: number, total: number) => void;
  onRetry?: (item: PlannedChange, event: RetryEvent) => void;
}

/** Sends every ready change of the plan; a failure never stops the others. */
export async function runPlan(plan: MembershipPlan, options: RunOptions): Promise<BatchSummary> {
  const { translate: t } = options;
  const results = new Map<PlannedChange, ItemResult>();
  for (const item of plan.skipped) {
    results.set(item, { status: 'skipped', item, message: item.reason ?? '' });
  }
  let finished = 0;
  const total = plan.ready.length;
  const record = (result: ItemResult) => {
    results.set(result.item, result);
    finished += 1;
    options.onItem?.(result, finished, total);
  };

  const byRegion = new Map<string, PlannedChange[]>();
  for (const item of plan.ready) {
    const queue = byRegion.get(item.pair.regionId) ?? [];
    queue.push(item);
    byRegion.set(item.pair.regionId, queue);
  }
  const workers: Array<Promise<void>> = [];
  for (const queue of byRegion.values()) {
    const count = Math.max(1, Math.min(options.concurrencyPerRegion, queue.length));
    for (let index = 0; index < count; index++) {
      workers.push(drain(queue, plan.action, options, record));
    }
  }
  await Promise.all(workers);

  const ordered = plan.items.map(
    (item) =>
      results.get(item) ?? {
        status: 'cancelled' as const,
        item,
        message: t('Not sent for {0}: cancelled.', item.subject.instanceLabel),
      },
  );
  return {
    action: plan.action,
    results: ordered,
    done: ordered.filter((result) => result.status === 'done').length,
    failed: ordered.filter((result) => result.status === 'failed').length,
    skipped: ordered.filter((result) => result.status === 'skipped').length,
    cancelled: ordered.filter((result) => result.status === 'cancelled').length,
  };
}

/** Takes items from a region's queue until it is empty or the run is cancelled. */
async function drain(
  queue: PlannedChange[],
  action: MembershipAction,
  options: RunOptions,
  record: (result: ItemResult) => void,
): Promise<void> {
  for (let item = queue.shift(); item; item = queue.shift()) {
    if (options.signal?.cancelled) {
      queue.unshift(item);
      return;
    }
    record(await send(item, action, options));
  }
}

async function send(
  item: PlannedChange,
  action: MembershipAction,
  options: RunOptions,
): Promise<ItemResult> {
  const { gateway, translate: t } = options;
  const { instanceLabel: instance, groupLabel: group } = item.subject;
  const change = {
    regionId: item.pair.regionId,
    instanceId: item.pair.instanceId,
    networkInterfaceId: item.pair.networkInterfaceId,
    securityGroupId: item.pair.securityGroupId,
  };
  const eni = item.subject.kind === 'networkInterface';
  const callOptions = {
    signal: options.signal,
    onRetry: (event: RetryEvent) => options.onRetry?.(item, event),
  };
  try {
    const result =
      action === 'join'
        ? await gateway.joinSecurityGroup(change, callOptions)
        : await gateway.leaveSecurityGroup(change, callOptions);
    let message: string;
    if (action === 'join') {
      message = result.confirmedByRetry
        ? t(
            'Instance {0} joined security group {1}. An attempt timed out and the retry found the instance already in the group, so the earlier attempt made the change.',
            instance,
            group,
          )
        : eni
          ? t('Network interface {0} joined security group {1}.', instance, group)
          : t('Instance {0} joined security group {1}.', instance, group);
    } else {
      message = result.confirmedByRetry
        ? t(
            'Instance {0} left security group {1}. An attempt timed out and the retry found the instance no longer in the group, so the earlier attempt made the change.',
            instance,
            group,
          )
        : eni
          ? t('Network interface {0} left security group {1}.', instance, group)
          : t('Instance {0} left security group {1}.', instance, group);
    }
    return {
      status: 'done',
      item,
      requestId: result.requestId,
      confirmedByRetry: result.confirmedByRetry,
      message,
    };
  } catch (error) {
    // Anything else thrown becomes a failed item too, so that one item cannot end the batch.
    const apiError = toEcsApiError(
      error,
      action === 'join' ? 'JoinSecurityGroup' : 'LeaveSecurityGroup',
    );
    const reason = describeApiError(apiError, t);
    const message =
      action === 'join'
        ? eni
          ? t(
              'Network interface {0} could not join security group {1}: {2}',
              instance,
              group,
              reason,
            )
          : t('Instance {0} could not join security group {1}: {2}', instance, group, reason)
        : eni
          ? t(
              'Network interface {0} could not leave security group {1}: {2}',
              instance,
              group,
              reason,
            )
          : t('Instance {0} could not leave security group {1}: {2}', instance, group, reason);
    return { status: 'failed', item, error: apiError, message };
  }
}
