import type { CallOptions, EcsGateway } from '../ecs/gateway';
import { EcsApiError } from '../ecs/errors';
import type { Instance, SecurityGroup } from '../ecs/model';
import type { Translate } from '../i18n/translate';
import { groupLabel, instanceLabel } from './labels';
import { describeApiError, describeRefusal, type JoinSubject } from './messages';
import { checkJoin, type JoinRefusal } from './rules';

export interface JoinRequest {
  regionId: string;
  instanceId: string;
  /** The region of the group; the same as the instance's unless the caller picked across regions. */
  groupRegionId?: string;
  securityGroupId: string;
}

export type JoinOutcome =
  | {
      kind: 'joined';
      instance: Instance;
      group: SecurityGroup;
      requestId: string;
      message: string;
      /** True when an attempt lost its answer and the retry found the instance already a member. */
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
 * Puts instances into security groups. Every join loads the instance and the groups fresh,
 * checks each rule of the JoinSecurityGroup reference, and sends the request only when all hold.
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

  explain(refusal: JoinRefusal, instance: string, group: string): string {
    return describeRefusal(
      refusal,
      { instanceLabel: instance, groupLabel: group },
      this.options.translate,
    );
  }

  async join(request: JoinRequest, options?: CallOptions): Promise<JoinOutcome> {
    const { gateway, translate: t } = this.options;
    const groupRegionId = request.groupRegionId ?? request.regionId;
    let instance: Instance | undefined;
    let groups: SecurityGroup[];
    try {
      instance = await this.loadInstance(request.regionId, request.instanceId, options);
      const wanted = [request.securityGroupId, ...(instance?.securityGroupIds ?? [])];
      groups = await this.loadGroups(groupRegionId, unique(wanted), options);
    } catch (error) {
      return this.failure(error);
    }

    const group = groups.find((item) => item.securityGroupId === request.securityGroupId);
    const subject = {
      instanceLabel: instance ? instanceLabel(instance) : request.instanceId,
      groupLabel: group ? groupLabel(group) : request.securityGroupId,
    };
    if (!instance) {
      return this.refused({ rule: 'instanceNotFound', regionId: request.regionId }, subject);
    }
    if (!group) {
      return this.refused({ rule: 'groupNotFound', regionId: groupRegionId }, subject);
    }
    const memberIds = new Set(instance.securityGroupIds);
    const refusal = checkJoin({
      instance,
      group,
      memberGroups: groups.filter((item) => memberIds.has(item.securityGroupId)),
      groupsPerInstance: this.options.groupsPerInstance(),
    });
    if (refusal) {
      return this.refused(refusal, subject);
    }

    try {
      const result = await gateway.joinSecurityGroup(
        {
          regionId: instance.regionId,
          instanceId: instance.instanceId,
          securityGroupId: group.securityGroupId,
        },
        options,
      );
      const message = result.confirmedByRetry
        ? t(
            'Instance {0} joined security group {1}. An attempt timed out and the retry found the instance already in the group, so the earlier attempt made the change.',
            subject.instanceLabel,
            subject.groupLabel,
          )
        : t('Instance {0} joined security group {1}.', subject.instanceLabel, subject.groupLabel);
      return {
        kind: 'joined',
        instance,
        group,
        requestId: result.requestId,
        message,
        confirmedByRetry: result.confirmedByRetry,
      };
    } catch (error) {
      return this.failure(error, subject);
    }
  }

  private refused(refusal: JoinRefusal, subject: JoinSubject): JoinOutcome {
    return {
      kind: 'refused',
      refusal,
      message: describeRefusal(refusal, subject, this.options.translate),
    };
  }

  private async loadInstance(
    regionId: string,
    instanceId: string,
    options?: CallOptions,
  ): Promise<Instance | undefined> {
    const page = await this.options.gateway.listInstances(
      regionId,
      { instanceIds: [instanceId] },
      undefined,
      options,
    );
    return page.items.find((item) => item.instanceId === instanceId);
  }

  private async loadGroups(
    regionId: string,
    ids: string[],
    options?: CallOptions,
  ): Promise<SecurityGroup[]> {
    const page = await this.options.gateway.listSecurityGroups(
      regionId,
      { securityGroupIds: ids },
      undefined,
      options,
    );
    return page.items;
  }

  private failure(error: unknown, subject?: JoinSubject): JoinOutcome {
    if (!(error instanceof EcsApiError)) {
      throw error;
    }
    const t = this.options.translate;
    const reason = describeApiError(error, t);
    const message = subject
      ? t(
          'Instance {0} could not join security group {1}: {2}',
          subject.instanceLabel,
          subject.groupLabel,
          reason,
        )
      : t('The join could not be checked: {0}', reason);
    return { kind: 'failed', error, message };
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
