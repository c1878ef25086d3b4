import type * as EcsSdk from '@alicloud/ecs20140526';
import type { EndpointOverride } from './endpoint';
import { EcsApiError, toEcsApiError } from './errors';
import { InFlightLimiter, type InFlightLimits } from './inFlight';
import { toInstance, toNetworkInterface, toRegion, toSecurityGroup, toVpc } from './mappers';
import type { Instance, NetworkInterface, Page, Region, SecurityGroup, Vpc } from './model';
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  mayHaveBeenApplied,
  retryDelay,
  type CancelSignal,
  type RetryEvent,
  type RetryPolicy,
} from './retry';
import type { CredentialProvider } from '../credentials/credentialSource';

/** The largest page each list action accepts (ECS 2014-05-26 API reference). */
export const PAGE_LIMITS = {
  describeInstances: 100,
  describeSecurityGroups: 100,
  describeVpcs: 50,
  describeNetworkInterfaces: 500,
  /** DescribeInstances.InstanceIds and DescribeSecurityGroups.SecurityGroupIds take at most 100 IDs. */
  idsPerCall: 100,
} as const;

export interface InstanceFilter {
  vpcId?: string;
  networkType?: 'vpc' | 'classic';
  instanceIds?: string[];
  securityGroupId?: string;
  /** Matched by the API with `*` as a wildcard. */
  instanceName?: string;
  privateIpAddresses?: string[];
  publicIpAddresses?: string[];
  /** Inner IP addresses of classic-network instances. */
  innerIpAddresses?: string[];
  /** Tags the instance must all have; a tag without a value matches any value of its key. */
  tags?: TagFilter[];
}

export interface TagFilter {
  key: string;
  value?: string;
}

export interface SecurityGroupFilter {
  vpcId?: string;
  networkType?: 'vpc' | 'classic';
  securityGroupIds?: string[];
  securityGroupName?: string;
}

/** A join or leave of one instance, or of one network interface, and one group. */
export interface MembershipChange {
  regionId: string;
  securityGroupId: string;
  /** Set for an instance; the request then carries InstanceId. */
  instanceId?: string;
  /** Set for a network interface; the request then carries NetworkInterfaceId and RegionId only. */
  networkInterfaceId?: string;
}

export interface MembershipResult {
  requestId: string;
  /** Attempts made, the first included. */
  attempts: number;
  /**
   * True when an attempt timed out or lost its connection and the retry returned "already a
   * member" (join) or "not a member" (leave), so the first attempt made the change.
   */
  confirmedByRetry: boolean;
}

/** Per-call controls: a signal that stops retries, and a callback called on each retry. */
export interface CallOptions {
  signal?: CancelSignal;
  onRetry?: (event: RetryEvent) => void;
}

export interface NetworkInterfaceFilter {
  instanceId?: string;
  networkInterfaceIds?: string[];
  type?: 'Primary' | 'Secondary';
}

/** One finished API call, as reported to the log. */
export interface RequestRecord {
  action: string;
  regionId: string;
  requestId: string;
  durationMs: number;
  /** The resource IDs the call named, for the log line. */
  resources: Record<string, string>;
  error?: EcsApiError;
  /** Attempt number, 1 for the first try. */
  attempt: number;
}

/** The ECS operations the extension uses. Implemented over the SDK; tests run it against the local server. */
export interface EcsGateway {
  listRegions(acceptLanguage: string): Promise<Region[]>;
  listVpcs(regionId: string, pageNumber: number): Promise<Page<Vpc> & { totalCount: number }>;
  listInstances(
    regionId: string,
    filter: InstanceFilter,
    nextToken?: string,
    options?: CallOptions,
  ): Promise<Page<Instance>>;
  listSecurityGroups(
    regionId: string,
    filter: SecurityGroupFilter,
    nextToken?: string,
    options?: CallOptions,
  ): Promise<Page<SecurityGroup>>;
  listNetworkInterfaces(
    regionId: string,
    filter: NetworkInterfaceFilter,
    nextToken?: string,
    options?: CallOptions,
  ): Promise<Page<NetworkInterface>>;
  joinSecurityGroup(change: MembershipChange, options?: CallOptions): Promise<MembershipResult>;
  leaveSecurityGroup(change: MembershipChange, options?: CallOptions): Promise<MembershipResult>;
}

export interface SdkGatewayOptions {
  credentials: CredentialProvider;
  /** Replaces the Alibaba Cloud endpoint of every region when set. */
  endpoint?: EndpointOverride;
  onRequest?: (record: RequestRecord) => void;
  /** Milliseconds; the SDK default is 10 s for reading and 5 s for connecting. */
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
  now?: () => number;
  retryPolicy?: RetryPolicy;
  /** Waits between attempts; tests pass one that records the delay and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Caps on requests in flight; DEFAULT_IN_FLIGHT_LIMITS unless set. */
  inFlight?: Partial<InFlightLimits>;
  /** The SDK packages to call; loaded with `require` on first use unless set. */
  sdk?: SdkModules;
}

/** The SDK packages the gateway calls. */
export interface SdkModules {
  ecs: typeof EcsSdk;
  openApiCore: typeof import('@alicloud/openapi-core');
}

type SdkModule = SdkModules['ecs'];
type SdkClient = InstanceType<SdkModule['default']>;

let requiredSdk: SdkModules | undefined;

/**
 * Loads the SDK on first use, so that activating the extension loads none of it. In the
 * bundle, esbuild.js serves both packages from dist/sdk.js, whose ECS client has only the
 * operations this gateway calls.
 */
export function requireSdk(): SdkModules {
  requiredSdk ??= {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ecs: require('@alicloud/ecs20140526') as SdkModules['ecs'],
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    openApiCore: require('@alicloud/openapi-core') as SdkModules['openApiCore'],
  };
  return requiredSdk;
}

export class SdkEcsGateway implements EcsGateway {
  private readonly clients = new Map<string, SdkClient>();
  private readonly now: () => number;
  private readonly limiter: InFlightLimiter;

  constructor(private readonly options: SdkGatewayOptions) {
    this.now = options.now ?? Date.now;
    this.limiter = new InFlightLimiter(options.inFlight);
  }

  /** Requests in flight now, and requests waiting for a slot. */
  get load(): { inFlight: number; queued: number } {
    return { inFlight: this.limiter.inFlight, queued: this.limiter.queued };
  }

  async listRegions(acceptLanguage: string): Promise<Region[]> {
    const sdk = this.sdk();
    const request = new sdk.DescribeRegionsRequest({ acceptLanguage });
    const { body } = await this.call('DescribeRegions', '', {}, (client) =>
      client.describeRegions(request),
    );
    return (body.regions?.region ?? []).map(toRegion);
  }

  async listVpcs(regionId: string, pageNumber: number) {
    const sdk = this.sdk();
    const request = new sdk.DescribeVpcsRequest({
      regionId,
      pageNumber,
      pageSize: PAGE_LIMITS.describeVpcs,
    });
    const { body } = await this.call('DescribeVpcs', regionId, {}, (client) =>
      client.describeVpcs(request),
    );
    const items = (body.vpcs?.vpc ?? []).map(toVpc);
    const totalCount = body.totalCount ?? items.length;
    const more = pageNumber * PAGE_LIMITS.describeVpcs < totalCount && items.length > 0;
    return { items, totalCount, nextToken: more ? String(pageNumber + 1) : '' };
  }

  async listInstances(
    regionId: string,
    filter: InstanceFilter,
    nextToken?: string,
    options?: CallOptions,
  ) {
    const sdk = this.sdk();
    const request = new sdk.DescribeInstancesRequest({
      regionId,
      maxResults: PAGE_LIMITS.describeInstances,
      nextToken: nextToken || undefined,
      vpcId: filter.vpcId,
      instanceNetworkType: filter.networkType,
      securityGroupId: filter.securityGroupId,
      instanceName: filter.instanceName,
      instanceIds: jsonList(filter.instanceIds),
      privateIpAddresses: jsonList(filter.privateIpAddresses),
      publicIpAddresses: jsonList(filter.publicIpAddresses),
      innerIpAddresses: jsonList(filter.innerIpAddresses),
      tag: filter.tags?.map((tag) => new sdk.DescribeInstancesRequestTag(tag)),
    });
    const { body } = await this.call(
      'DescribeInstances',
      regionId,
      {},
      (client) => client.describeInstances(request),
      options,
    );
    return {
      items: (body.instances?.instance ?? []).map(toInstance),
      nextToken: body.nextToken ?? '',
    };
  }

  async listSecurityGroups(
    regionId: string,
    filter: SecurityGroupFilter,
    nextToken?: string,
    options?: CallOptions,
  ) {
    const sdk = this.sdk();
    const request = new sdk.DescribeSecurityGroupsRequest({
      regionId,
      maxResults: PAGE_LIMITS.describeSecurityGroups,
      nextToken: nextToken || undefined,
      vpcId: filter.vpcId,
      networkType: filter.networkType,
      securityGroupIds: jsonList(filter.securityGroupIds),
      securityGroupName: filter.securityGroupName,
    });
    const { body } = await this.call(
      'DescribeSecurityGroups',
      regionId,
      {},
      (client) => client.describeSecurityGroups(request),
      options,
    );
    return {
      items: (body.securityGroups?.securityGroup ?? []).map((group) =>
        toSecurityGroup(group, regionId),
      ),
      nextToken: body.nextToken ?? '',
    };
  }

  async listNetworkInterfaces(
    regionId: string,
    filter: NetworkInterfaceFilter,
    nextToken?: string,
    options?: CallOptions,
  ) {
    const sdk = this.sdk();
    const request = new sdk.DescribeNetworkInterfacesRequest({
      regionId,
      maxResults: PAGE_LIMITS.describeNetworkInterfaces,
      nextToken: nextToken || undefined,
      instanceId: filter.instanceId,
      networkInterfaceId: filter.networkInterfaceIds,
      type: filter.type,
    });
    const { body } = await this.call(
      'DescribeNetworkInterfaces',
      regionId,
      {},
      (client) => client.describeNetworkInterfaces(request),
      options,
    );
    return {
      items: (body.networkInterfaceSets?.networkInterfaceSet ?? []).map((eni) =>
        toNetworkInterface(eni, regionId),
      ),
      nextToken: body.nextToken ?? '',
    };
  }

  async joinSecurityGroup(change: MembershipChange, options?: CallOptions) {
    const sdk = this.sdk();
    const request = new sdk.JoinSecurityGroupRequest(membershipParams(change));
    return this.changeMembership(
      'JoinSecurityGroup',
      change,
      (client) => client.joinSecurityGroup(request),
      // After a lost response, "already a member" means the lost attempt did the join.
      (code) => code === 'InvalidInstanceId.AlreadyExists',
      options,
    );
  }

  async leaveSecurityGroup(change: MembershipChange, options?: CallOptions) {
    const sdk = this.sdk();
    const request = new sdk.LeaveSecurityGroupRequest(membershipParams(change));
    return this.changeMembership(
      'LeaveSecurityGroup',
      change,
      (client) => client.leaveSecurityGroup(request),
      (code) =>
        code === 'InvalidSecurityGroupAssociation.NotFound' ||
        code === 'InstanceNotInSecurityGroup',
      options,
    );
  }

  private async changeMembership(
    action: string,
    change: MembershipChange,
    send: (client: SdkClient) => Promise<{ body?: { requestId?: string } }>,
    isDoneAlready: (code: string) => boolean,
    options?: CallOptions,
  ): Promise<MembershipResult> {
    const resources = resourcesOf(change);
    try {
      const { body, attempts } = await this.call(action, change.regionId, resources, send, options);
      return { requestId: body.requestId ?? '', attempts, confirmedByRetry: false };
    } catch (error) {
      if (error instanceof RetriedCallError && error.ambiguous && isDoneAlready(error.cause.code)) {
        return {
          requestId: error.cause.requestId,
          attempts: error.attempts,
          confirmedByRetry: true,
        };
      }
      throw error instanceof RetriedCallError ? error.cause : error;
    }
  }

  /**
   * Sends one request, retrying throttling, conflicts, 5xx responses, timeouts and dropped
   * connections with backoff. Reports every attempt to `onRequest` and converts SDK errors to
   * `EcsApiError`; a failure after a retry is thrown as a `RetriedCallError` for the membership
   * calls to inspect, and unwrapped for every other caller.
   */
  private async call<Body extends { requestId?: string }>(
    action: string,
    regionId: string,
    resources: Record<string, string>,
    send: (client: SdkClient) => Promise<{ body?: Body }>,
    options: CallOptions = {},
  ): Promise<{ body: Body; attempts: number }> {
    const policy = this.options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    const sleep =
      this.options.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
    const random = this.options.random ?? Math.random;
    const membership = action === 'JoinSecurityGroup' || action === 'LeaveSecurityGroup';
    let ambiguous = false;
    for (let attempt = 1; ; attempt++) {
      let started = this.now();
      try {
        const response = await this.limiter.run(regionId || 'global', () => {
          started = this.now();
          return this.withDeadline(send(this.clientFor(regionId)));
        });
        const body = response.body ?? ({} as Body);
        this.report({
          action,
          regionId,
          resources,
          requestId: body.requestId ?? '',
          started,
          attempt,
        });
        return { body, attempts: attempt };
      } catch (thrown) {
        const error = toEcsApiError(thrown, action);
        this.report({
          action,
          regionId,
          resources,
          requestId: error.requestId,
          started,
          error,
          attempt,
        });
        ambiguous ||= mayHaveBeenApplied(error);
        const canRetry =
          isRetryable(error) && attempt < policy.maxAttempts && !options.signal?.cancelled;
        if (!canRetry) {
          if (membership && attempt > 1) {
            throw new RetriedCallError(error, attempt, ambiguous);
          }
          throw error;
        }
        const delayMs = retryDelay(policy, attempt, error, random);
        options.onRetry?.({ attempt, maxAttempts: policy.maxAttempts, delayMs, error });
        await sleep(delayMs);
        if (options.signal?.cancelled) {
          throw error;
        }
      }
    }
  }

  /**
   * Rejects with a RequestTimeout when no answer arrived in time.
   *
   * NOTE: the SDK's own read timeout (httpx 1.x under @darabonba/typescript 1.0.5) did not fire
   * for some requests in tests on loopback, which waited for the whole answer instead; this
   * deadline makes the timeout hold for every request.
   */
  private withDeadline<T>(pending: Promise<T>): Promise<T> {
    const limitMs =
      (this.options.readTimeoutMs ?? 10_000) + (this.options.connectTimeoutMs ?? 5_000);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          Object.assign(new Error(`ReadTimeout(${limitMs})`), { name: 'RequestTimeoutError' }),
        );
      }, limitMs);
    });
    return Promise.race([pending, deadline]).finally(() => clearTimeout(timer));
  }

  private report(entry: Omit<RequestRecord, 'durationMs'> & { started: number }): void {
    const { started, ...record } = entry;
    this.options.onRequest?.({ ...record, durationMs: this.now() - started });
  }

  /** Returns the SDK client of a region; all clients share the credentials object, so it refreshes in one place. */
  private clientFor(regionId: string): SdkClient {
    const key = regionId || 'global';
    let client = this.clients.get(key);
    if (!client) {
      client = this.createClient(regionId);
      this.clients.set(key, client);
    }
    return client;
  }

  private sdk(): SdkModule {
    return (this.options.sdk ?? requireSdk()).ecs;
  }

  private createClient(regionId: string): SdkClient {
    const sdk = this.sdk();
    const { $OpenApiUtil } = (this.options.sdk ?? requireSdk()).openApiCore;
    const { endpoint } = this.options;
    const config = new $OpenApiUtil.Config({
      credential: this.options.credentials.asSdkCredential(),
      regionId: regionId || 'cn-hangzhou',
      readTimeout: this.options.readTimeoutMs ?? 10_000,
      connectTimeout: this.options.connectTimeoutMs ?? 5_000,
    });
    if (endpoint) {
      config.endpoint = endpoint.host;
      config.protocol = endpoint.protocol;
    }
    return new sdk.default(config);
  }
}

function jsonList(values: string[] | undefined): string | undefined {
  return values === undefined ? undefined : JSON.stringify(values);
}

function resourcesOf(change: MembershipChange): Record<string, string> {
  const target: Record<string, string> = change.networkInterfaceId
    ? { networkInterface: change.networkInterfaceId }
    : { instance: change.instanceId ?? '' };
  return { ...target, securityGroup: change.securityGroupId };
}

/**
 * The request parameters of a join or leave. A network interface is named with
 * NetworkInterfaceId and RegionId and never with InstanceId, which the API rejects
 * (InvalidParam.EniIdAndInstanceId.Conflict).
 */
function membershipParams(change: MembershipChange): Record<string, string> {
  if (change.networkInterfaceId) {
    return {
      networkInterfaceId: change.networkInterfaceId,
      regionId: change.regionId,
      securityGroupId: change.securityGroupId,
    };
  }
  return {
    instanceId: change.instanceId ?? '',
    regionId: change.regionId,
    securityGroupId: change.securityGroupId,
  };
}

/** The last error of a membership call that was retried, with what the earlier attempts showed. */
class RetriedCallError extends Error {
  constructor(
    override readonly cause: EcsApiError,
    readonly attempts: number,
    /** True when an earlier attempt may have been applied although its answer was lost. */
    readonly ambiguous: boolean,
  ) {
    super(cause.message);
  }
}

/** Collects every page of a list call, following `NextToken` until it is empty. */
export async function collectPages<T>(
  fetchPage: (nextToken: string | undefined) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    token = page.nextToken || undefined;
  } while (token);
  return items;
}

export { EcsApiError };
