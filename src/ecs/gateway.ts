import type * as EcsSdk from '@alicloud/ecs20140526';
import type { EndpointOverride } from './endpoint';
import { EcsApiError, toEcsApiError } from './errors';
import { toInstance, toRegion, toSecurityGroup, toVpc } from './mappers';
import type { Instance, Page, Region, SecurityGroup, Vpc } from './model';
import type { CredentialProvider } from '../credentials/credentialSource';

/** The largest page each list action accepts (ECS 2014-05-26 API reference). */
export const PAGE_LIMITS = {
  describeInstances: 100,
  describeSecurityGroups: 100,
  describeVpcs: 50,
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
}

export interface SecurityGroupFilter {
  vpcId?: string;
  networkType?: 'vpc' | 'classic';
  securityGroupIds?: string[];
  securityGroupName?: string;
}

export interface MembershipChange {
  regionId: string;
  instanceId: string;
  securityGroupId: string;
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
}

/** The ECS operations the extension uses. Implemented over the SDK; tests run it against the local server. */
export interface EcsGateway {
  listRegions(acceptLanguage: string): Promise<Region[]>;
  listVpcs(regionId: string, pageNumber: number): Promise<Page<Vpc> & { totalCount: number }>;
  listInstances(
    regionId: string,
    filter: InstanceFilter,
    nextToken?: string,
  ): Promise<Page<Instance>>;
  listSecurityGroups(
    regionId: string,
    filter: SecurityGroupFilter,
    nextToken?: string,
  ): Promise<Page<SecurityGroup>>;
  joinSecurityGroup(change: MembershipChange): Promise<{ requestId: string }>;
  leaveSecurityGroup(change: MembershipChange): Promise<{ requestId: string }>;
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
}

type SdkModule = typeof EcsSdk;
type OpenApiCoreModule = typeof import('@alicloud/openapi-core');
type SdkClient = InstanceType<SdkModule['default']>;

let sdkModule: SdkModule | undefined;

/** Loads the ECS SDK on first use, so that activating the extension costs nothing. */
function loadSdk(): SdkModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdkModule ??= require('@alicloud/ecs20140526') as SdkModule;
  return sdkModule;
}

function loadOpenApiCore(): OpenApiCoreModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@alicloud/openapi-core') as OpenApiCoreModule;
}

export class SdkEcsGateway implements EcsGateway {
  private readonly clients = new Map<string, SdkClient>();
  private readonly now: () => number;

  constructor(private readonly options: SdkGatewayOptions) {
    this.now = options.now ?? Date.now;
  }

  async listRegions(acceptLanguage: string): Promise<Region[]> {
    const sdk = loadSdk();
    const request = new sdk.DescribeRegionsRequest({ acceptLanguage });
    const body = await this.call('DescribeRegions', '', {}, (client) =>
      client.describeRegions(request),
    );
    return (body.regions?.region ?? []).map(toRegion);
  }

  async listVpcs(regionId: string, pageNumber: number) {
    const sdk = loadSdk();
    const request = new sdk.DescribeVpcsRequest({
      regionId,
      pageNumber,
      pageSize: PAGE_LIMITS.describeVpcs,
    });
    const body = await this.call('DescribeVpcs', regionId, {}, (client) =>
      client.describeVpcs(request),
    );
    const items = (body.vpcs?.vpc ?? []).map(toVpc);
    const totalCount = body.totalCount ?? items.length;
    const more = pageNumber * PAGE_LIMITS.describeVpcs < totalCount && items.length > 0;
    return { items, totalCount, nextToken: more ? String(pageNumber + 1) : '' };
  }

  async listInstances(regionId: string, filter: InstanceFilter, nextToken?: string) {
    const sdk = loadSdk();
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
    });
    const body = await this.call('DescribeInstances', regionId, {}, (client) =>
      client.describeInstances(request),
    );
    return {
      items: (body.instances?.instance ?? []).map(toInstance),
      nextToken: body.nextToken ?? '',
    };
  }

  async listSecurityGroups(regionId: string, filter: SecurityGroupFilter, nextToken?: string) {
    const sdk = loadSdk();
    const request = new sdk.DescribeSecurityGroupsRequest({
      regionId,
      maxResults: PAGE_LIMITS.describeSecurityGroups,
      nextToken: nextToken || undefined,
      vpcId: filter.vpcId,
      networkType: filter.networkType,
      securityGroupIds: jsonList(filter.securityGroupIds),
      securityGroupName: filter.securityGroupName,
    });
    const body = await this.call('DescribeSecurityGroups', regionId, {}, (client) =>
      client.describeSecurityGroups(request),
    );
    return {
      items: (body.securityGroups?.securityGroup ?? []).map((group) =>
        toSecurityGroup(group, regionId),
      ),
      nextToken: body.nextToken ?? '',
    };
  }

  async joinSecurityGroup(change: MembershipChange) {
    const sdk = loadSdk();
    const request = new sdk.JoinSecurityGroupRequest({ ...change });
    const body = await this.call('JoinSecurityGroup', change.regionId, resourcesOf(change), (c) =>
      c.joinSecurityGroup(request),
    );
    return { requestId: body.requestId ?? '' };
  }

  async leaveSecurityGroup(change: MembershipChange) {
    const sdk = loadSdk();
    const request = new sdk.LeaveSecurityGroupRequest({ ...change });
    const body = await this.call('LeaveSecurityGroup', change.regionId, resourcesOf(change), (c) =>
      c.leaveSecurityGroup(request),
    );
    return { requestId: body.requestId ?? '' };
  }

  /** Sends one request, reports it to `onRequest` and converts SDK errors to `EcsApiError`. */
  private async call<Body extends { requestId?: string }>(
    action: string,
    regionId: string,
    resources: Record<string, string>,
    send: (client: SdkClient) => Promise<{ body?: Body }>,
  ): Promise<Body> {
    const started = this.now();
    try {
      const response = await send(this.clientFor(regionId));
      const body = response.body ?? ({} as Body);
      this.report({ action, regionId, resources, requestId: body.requestId ?? '', started });
      return body;
    } catch (thrown) {
      const error = toEcsApiError(thrown, action);
      this.report({ action, regionId, resources, requestId: error.requestId, started, error });
      throw error;
    }
  }

  private report(entry: Omit<RequestRecord, 'durationMs'> & { started: number }): void {
    const { started, ...record } = entry;
    this.options.onRequest?.({ ...record, durationMs: this.now() - started });
  }

  /** One SDK client per region; the credentials object is shared, so it refreshes in one place. */
  private clientFor(regionId: string): SdkClient {
    const key = regionId || 'global';
    let client = this.clients.get(key);
    if (!client) {
      client = this.createClient(regionId);
      this.clients.set(key, client);
    }
    return client;
  }

  private createClient(regionId: string): SdkClient {
    const sdk = loadSdk();
    const { $OpenApiUtil } = loadOpenApiCore();
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
  return { instance: change.instanceId, securityGroup: change.securityGroupId };
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
