// dist/sdk.js carries the SDK's client pruned to the gateway's operations. These tests build it
// as `node esbuild.js --production` does and check that, through the gateway, it sends the same
// requests, raises the same errors and picks the same endpoints as the whole SDK from
// node_modules.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as EcsSdk from '@alicloud/ecs20140526';
import * as OpenApiCore from '@alicloud/openapi-core';
import type { EcsApiError } from '../../src/ecs/errors';
import type { SdkEcsGateway, SdkModules } from '../../src/ecs/gateway';
import { startEcsServer, type EcsServer, type RecordedRequest } from '../server/ecsServer';
import { repoRoot } from '../support/paths';
import { FIXTURE_PATH, gatewayFor } from './support';

interface BundleScript {
  buildBundles(options: { outdir: string; production: boolean }): Promise<string[]>;
  ECS_OPERATIONS: string[];
}

const WHOLE_SDK: SdkModules = { ecs: EcsSdk, openApiCore: OpenApiCore };

/** Every gateway call, once, with arguments for which the fixture has data. */
const CALLS: Array<[name: string, call: (gateway: SdkEcsGateway) => Promise<unknown>]> = [
  ['DescribeRegions', (gateway) => gateway.listRegions('en-US')],
  ['DescribeVpcs', (gateway) => gateway.listVpcs('cn-hangzhou', 1)],
  [
    'DescribeInstances',
    (gateway) =>
      gateway.listInstances('cn-hangzhou', {
        vpcId: 'vpc-bp1prod',
        instanceName: '生产*',
        tags: [{ key: 'env', value: 'prod' }],
      }),
  ],
  [
    'DescribeInstances',
    (gateway) =>
      gateway.listInstances('cn-hangzhou', {
        instanceIds: ['i-bp1web01prod', 'i-bp1web02prod'],
        privateIpAddresses: ['172.16.1.10'],
      }),
  ],
  [
    'DescribeSecurityGroups',
    (gateway) =>
      gateway.listSecurityGroups('cn-hangzhou', { securityGroupIds: ['sg-bp1web', 'sg-bp1app'] }),
  ],
  [
    'DescribeNetworkInterfaces',
    (gateway) =>
      gateway.listNetworkInterfaces('cn-hangzhou', {
        instanceId: 'i-bp1web01prod',
        type: 'Secondary',
      }),
  ],
  [
    'JoinSecurityGroup',
    (gateway) =>
      gateway.joinSecurityGroup({
        regionId: 'cn-hangzhou',
        networkInterfaceId: 'eni-bp1web01sec',
        securityGroupId: 'sg-bp1spare',
      }),
  ],
  [
    'LeaveSecurityGroup',
    (gateway) =>
      gateway.leaveSecurityGroup({
        regionId: 'cn-hangzhou',
        instanceId: 'i-bp1web01prod',
        securityGroupId: 'sg-bp1ssh',
      }),
  ],
];

/** The parts of a request that must match: all but the nonce, date and signature. */
function comparable(request: RecordedRequest) {
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(request.headers.authorization ?? '')?.[1];
  return {
    action: request.action,
    params: request.params,
    status: request.status,
    code: request.code,
    signedHeaders,
    version: request.headers['x-acs-version'],
    contentSha256: request.headers['x-acs-content-sha256'],
    userAgent: request.headers['user-agent'],
  };
}

function withoutRequestIds(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, item) => (key === 'requestId' ? '' : item)));
}

describe('pruned SDK bundle', function () {
  this.timeout(60_000);
  let bundleDir: string;
  let lean: SdkModules;
  let server: EcsServer;

  before(async () => {
    bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-sdk-bundle-'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const script = require(path.join(repoRoot, 'esbuild.js')) as BundleScript;
    await script.buildBundles({ outdir: bundleDir, production: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    lean = require(path.join(bundleDir, 'sdk.js')) as SdkModules;
    server = await startEcsServer({ fixture: FIXTURE_PATH });
  });

  after(async () => {
    await server?.close();
    fs.rmSync(bundleDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.reset();
    server.resetRequests();
    server.clearFaults();
  });

  it('carries only the operations the gateway calls', () => {
    const prototype = lean.ecs.default.prototype as unknown as Record<string, unknown>;
    for (const [action] of CALLS) {
      const method = action.charAt(0).toLowerCase() + action.slice(1);
      assert.equal(typeof prototype[method], 'function', method);
      assert.equal(typeof prototype[`${method}WithOptions`], 'function', `${method}WithOptions`);
    }
    assert.equal(prototype.describeDisks, undefined);
    assert.equal(prototype.modifyInstanceAttribute, undefined);
    const models = Object.keys(lean.ecs).filter((name) => name !== 'default');
    assert.ok(models.length < 150, `${models.length} model classes`);
    assert.ok(Object.keys(WHOLE_SDK.ecs).length > 2000);
  });

  it('is far smaller than the whole SDK', () => {
    const size = fs.statSync(path.join(bundleDir, 'sdk.js')).size;
    assert.ok(size < 1_000_000, `dist/sdk.js is ${size} bytes`);
  });

  it('sends the same requests as the whole SDK', async () => {
    for (const [action, call] of CALLS) {
      const results: unknown[] = [];
      const requests: RecordedRequest[] = [];
      for (const sdk of [WHOLE_SDK, lean]) {
        server.reset();
        server.resetRequests();
        results.push(withoutRequestIds(await call(gatewayFor(server, undefined, { sdk }).gateway)));
        assert.equal(server.requests.length, 1, action);
        requests.push(server.requests[0]);
      }
      assert.deepEqual(comparable(requests[1]), comparable(requests[0]), action);
      assert.deepEqual(results[1], results[0], action);
    }
  });

  it('raises the same errors as the whole SDK', async () => {
    const faults = [
      { code: 'Throttling.User', status: 400, retryAfterMs: 1500 },
      { code: 'Forbidden.RAM', status: 403 },
      { code: 'InternalError', status: 500 },
      { code: 'ServiceUnavailable', status: 503 },
    ];
    for (const fault of faults) {
      const errors: EcsApiError[] = [];
      for (const sdk of [WHOLE_SDK, lean]) {
        server.failNext('DescribeInstances', fault);
        const { gateway } = gatewayFor(server, undefined, {
          sdk,
          retryPolicy: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
        });
        const error = await gateway.listInstances('cn-hangzhou', {}).then(
          () => assert.fail(`${fault.code} was not raised`),
          (thrown: EcsApiError) => thrown,
        );
        errors.push(error);
      }
      const [whole, pruned] = errors.map((error) => ({
        name: error.name,
        code: error.code,
        statusCode: error.statusCode,
        apiMessage: error.apiMessage,
        recommend: error.recommend,
        retryAfterMs: error.retryAfterMs,
        hasRequestId: error.requestId !== '',
      }));
      assert.deepEqual(pruned, whole, fault.code);
    }
  });

  it('chooses the same endpoints as the whole SDK', () => {
    const special = Object.keys(
      (new WHOLE_SDK.ecs.default(config(WHOLE_SDK, 'cn-hangzhou')) as unknown as EndpointFields)
        ._endpointMap,
    );
    assert.ok(special.length > 10, 'the SDK has its table of special endpoints');
    const regions = [...special, 'cn-beijing', 'ap-southeast-1', 'us-west-1', 'eu-central-1'];
    for (const regionId of regions) {
      for (const network of [undefined, 'vpc']) {
        const endpointOf = (sdk: SdkModules) =>
          (new sdk.ecs.default(config(sdk, regionId, network)) as unknown as EndpointFields)
            ._endpoint;
        assert.equal(endpointOf(lean), endpointOf(WHOLE_SDK), `${regionId} ${network ?? ''}`);
      }
    }
  });
});

interface EndpointFields {
  _endpoint: string;
  _endpointMap: Record<string, string>;
}

function config(sdk: SdkModules, regionId: string, network?: string) {
  return new sdk.openApiCore.$OpenApiUtil.Config({
    regionId,
    network,
    accessKeyId: 'LTAI5tFixtureAccessKey01',
    accessKeySecret: 'fixtureSecret-0001-not-a-real-key',
  });
}
