import type { CallOptions, EcsGateway } from '../ecs/gateway';
import { EcsApiError } from '../ecs/errors';
import type { Instance, NetworkInterface, SecurityGroup } from '../ecs/model';
import type { Translate } from '../i18n/translate';
import { describeApiError, describeRefusal } from './messages';
import {
  planMembership,
  type MembershipAction,
  type MembershipPair,
  type MembershipPlan,
} from './membershipPlan';
import { runPlan, type BatchSummary, type RunOptions } from './membershipRunner';
import { checkJoin, checkNetworkInterfaceJoin, type JoinRefusal } from './rules';

export type JoinRequest = MembershipPair;

export type JoinOutcome =
  | {
      kind: 'joined';
      instance: Instance;
      group: SecurityGroup;
      requestId: string;
      message: string;
      /** True when an attempt lost its response and the retry found the instance already a member. */
      confirmedByRetry: boolean;
    }
  | { kind: 'refused'; refusal: JoinRefusal; message: string }
  | { kind: 'failed'; error: EcsApiError; message: string };

export interface JoinServiceOptions {
  gateway: EcsGateway;
  translate: Translate;
  /** The per-instance group limit in force, read when each join is checked. */
  groupsPerInstance: () => number;
}

/**
 * Puts instances into security groups and takes them out. Every change loads the instances and
 * groups fresh, checks each rule of the JoinSecurityGroup or LeaveSecurityGroup reference, and
 * sends a request only for the changes that pass.
 */
export class JoinService {
  constructor(private readonly options: JoinServiceOptions) {}

  /** Checks a join against data the caller already loaded, without any request. */
  evaluate(
    instance: Instance,
    group: SecurityGroup,
    knownGroups: SecurityGroup[],
  ): JoinRefusal | undefined {
    const byId = new Map(knownGroups.map((item) => [item.securityGroupId, item]));
    const memberGroups = instance.securityGroupIds.flatMap((id) => byId.get(id) ?? []);
    return checkJoin({
      instance,
      group,
      memberGroups,
      groupsPerInstance: this.options.groupsPerInstance(),
    });
  }

  /** Checks a network interface join against loaded data, without any request. */
  evaluateNetworkInterface(
    networkInterface: NetworkInterface,
    group: SecurityGroup,
    knownGroups: SecurityGroup[],
  ): JoinRefusal | undefined {
    const byId = new Map(knownGroups.map((item) => [item.securityGroupId, item]));
    return checkNetworkInterfaceJoin({
      networkInterface,
      group,
      owner: undefined,
      memberGroups: networkInterface.securityGroupIds.flatMap((id) => byId.get(id) ?? []),
      groupsPerInstance: this.options.groupsPerInstance(),
    });
  }

  explain(
    refusal: JoinRefusal,
    instance: string,
    group: string,
    kind: 'instance' | 'networkInterface' = 'instance',
  ): string {
    return describeRefusal(
      refusal,
      { instanceLabel: instance, groupLabel: group, kind },
      this.options.translate,
    );
  }

  /** Loads and checks a list of joins or leaves; nothing is sent. */
  plan(
    action: MembershipAction,
    pairs: MembershipPair[],
    options?: CallOptions,
  ): Promise<MembershipPlan> {
    return planMembership(action, pairs, this.options, options);
  }

  /** Sends the ready changes of a plan. */
  run(
    plan: MembershipPlan,
    options: Omit<RunOptions, 'gateway' | 'translate'>,
  ): Promise<BatchSummary> {
    return runPlan(plan, {
      ...options,
      gateway: this.options.gateway,
      translate: this.options.translate,
    });
  }

  async join(request: JoinRequest, options?: CallOptions): Promise<JoinOutcome> {
    const t = this.options.translate;
    let plan: MembershipPlan;
    try {
      plan = await this.plan('join', [request], options);
    } catch (error) {
      if (!(error instanceof EcsApiError)) {
        throw error;
      }
      const reason = describeApiError(error, t);
      return {
        kind: 'failed',
        error,
        message: t('The join could not be checked: {0}', reason),
      };
    }
    const [item] = plan.items;
    if (item.refusal) {
      return { kind: 'refused', refusal: item.refusal as JoinRefusal, message: item.reason ?? '' };
    }
    const summary = await this.run(plan, {
      concurrencyPerRegion: 1,
      signal: options?.signal,
      onRetry: (_item, event) => options?.onRetry?.(event),
    });
    const [result] = summary.results;
    if (result.status === 'done' && item.instance && item.group) {
      return {
        kind: 'joined',
        instance: item.instance,
        group: item.group,
        requestId: result.requestId,
        message: result.message,
        confirmedByRetry: result.confirmedByRetry,
      };
    }
    if (result.status === 'failed') {
      return { kind: 'failed', error: result.error, message: result.message };
    }
    const cancelled = new EcsApiError(
      'Cancelled',
      0,
      'Cancelled before sending',
      '',
      '',
      'JoinSecurityGroup',
    );
    return { kind: 'failed', error: cancelled, message: result.message };
  }
}
