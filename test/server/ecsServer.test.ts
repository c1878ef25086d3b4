import assert from 'node:assert/strict';

import { ThrottlingError } from '@alicloud/openapi-core';

import type { EcsServer } from './ecsServer';
import { startEcsServer } from './ecsServer';
import {
  AK_ACCOUNT,
  callAction,
  createClient,
  Ecs,
  expectApiError,
  FIXTURE_PATH,
  sendRaw,
  STS_ACCOUNT,
} from './testClient';

const UPPERCASE_UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

function describeRegions(server: EcsServer, account = AK_ACCOUNT) {
  return createClient(server, account).describeRegions(new Ecs.DescribeRegionsRequest({}));
}

describe('ECS server signature checks', () => {
  let server: EcsServer;

  before(async () => {
    server = await startEcsServer({ fixture: FIXTURE_PATH });
  });

  after(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.resetRequests();
  });

  it('accepts an SDK-signed request', async () => {
    const response = await describeRegions(server);

    assert.equal(response.statusCode, 200);
    assert.match(response.body?.requestId ?? '', UPPERCASE_UUID);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].action, 'DescribeRegions');
    assert.equal(server.requests[0].accessKeyId, AK_ACCOUNT.accessKeyId);
    assert.equal(server.requests[0].status, 200);
    assert.equal(server.requests[0].code, undefined);
  });

  it('rejects a wrong secret', async () => {
    const account = { ...AK_ACCOUNT, accessKeySecret: 'wrong-secret' };
    const error = await expectApiError(
      describeRegions(server, account),
      'SignatureDoesNotMatch',
      400,
    );

    assert.match(error.requestId ?? '', UPPERCASE_UUID);
    assert.equal(server.requests[0].code, 'SignatureDoesNotMatch');
    assert.equal(server.requests[0].status, 400);
  });

  it('rejects an unknown AccessKey ID', async () => {
    const account = { accessKeyId: 'LTAI5tNoSuchKey', accessKeySecret: 'whatever' };
    await expectApiError(describeRegions(server, account), 'InvalidAccessKeyId.NotFound', 404);

    assert.equal(server.requests[0].accessKeyId, 'LTAI5tNoSuchKey');
  });

  it('rejects an inactive AccessKey', async () => {
    const account = {
      accessKeyId: 'LTAI5tFixtureInactive01',
      accessKeySecret: 'fixtureSecret-0002-not-a-real-key',
    };
    await expectApiError(describeRegions(server, account), 'InvalidAccessKeyId.Inactive', 403);
  });

  it('accepts an STS key with its token', async () => {
    const response = await describeRegions(server, STS_ACCOUNT);

    assert.equal(response.statusCode, 200);
    assert.equal(server.requests[0].headers['x-acs-security-token'], STS_ACCOUNT.securityToken);
  });

  it('rejects an STS key with a wrong token', async () => {
    const account = { ...STS_ACCOUNT, securityToken: 'another-token' };
    await expectApiError(describeRegions(server, account), 'InvalidSecurityToken.Mismatch', 400);
  });

  it('rejects an STS key without a token', async () => {
    const account = { ...STS_ACCOUNT, securityToken: undefined };
    await expectApiError(describeRegions(server, account), 'InvalidSecurityToken.Mismatch', 400);
  });

  it('rejects an expired STS token', async () => {
    const account = {
      accessKeyId: 'STS.FixtureStsExpired01',
      accessKeySecret: 'fixtureStsSecret-0002-not-a-real-key',
      securityToken: 'fixtureStsToken-0002-expired',
    };
    await expectApiError(describeRegions(server, account), 'InvalidSecurityToken.Expired', 400);
  });

  it('rejects a token sent with a plain AccessKey', async () => {
    const account = { ...AK_ACCOUNT, securityToken: 'unexpected-token' };
    await expectApiError(describeRegions(server, account), 'InvalidSecurityToken.Mismatch', 400);
  });

  it('rejects a missing Authorization header', async () => {
    await describeRegions(server);
    const headers = { ...server.requests[0].headers };
    delete headers.authorization;

    const response = await sendRaw(server, { headers });

    assert.equal(response.status, 400);
    assert.equal(response.body.Code, 'IncompleteSignature');
    assert.match(String(response.headers['content-type']), /^application\/json/);
    assert.match(String(response.body.RequestId), UPPERCASE_UUID);
    assert.equal(response.body.HostId, 'ecs.aliyuncs.com');
    assert.equal(typeof response.body.Message, 'string');
    assert.equal(
      response.body.Recommend,
      'https://api.aliyun.com/troubleshoot?q=IncompleteSignature&product=Ecs',
    );
  });

  it('rejects a malformed Authorization header', async () => {
    await describeRegions(server);
    const headers = { ...server.requests[0].headers, authorization: 'ACS3-HMAC-SHA256 nonsense' };

    const response = await sendRaw(server, { headers });

    assert.equal(response.status, 400);
    assert.equal(response.body.Code, 'IncompleteSignature');
  });

  it('rejects a replayed nonce', async () => {
    await describeRegions(server);
    const { headers, params } = server.requests[0];

    const replay = await sendRaw(server, { headers, query: params });

    assert.equal(replay.status, 400);
    assert.equal(replay.body.Code, 'SignatureNonceUsed');
  });

  it('rejects a changed query', async () => {
    await createClient(server).describeInstances(
      new Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' }),
    );
    const { headers } = server.requests[0];

    const response = await sendRaw(server, { headers, query: { RegionId: 'cn-shanghai' } });

    assert.equal(response.status, 400);
    assert.equal(response.body.Code, 'SignatureDoesNotMatch');
    assert.equal(response.body.HostId, 'ecs.cn-shanghai.aliyuncs.com');
  });

  it('rejects a body that does not match its hash', async () => {
    await describeRegions(server);
    const { headers } = server.requests[0];

    const response = await sendRaw(server, { headers, body: 'RegionId=cn-hangzhou' });

    assert.equal(response.status, 400);
    assert.equal(response.body.Code, 'SignatureDoesNotMatch');
  });

  it('rejects an unknown action', async () => {
    await expectApiError(
      callAction(createClient(server), 'NoSuchAction'),
      'InvalidAction.NotFound',
      404,
    );

    assert.equal(server.count('NoSuchAction'), 1);
  });
});

describe('ECS server clock check', () => {
  it('rejects a date 20 minutes off', async () => {
    const server = await startEcsServer({
      fixture: FIXTURE_PATH,
      now: () => Date.now() + 20 * 60 * 1000,
    });
    try {
      await expectApiError(describeRegions(server), 'InvalidTimeStamp.Expired', 400);
    } finally {
      await server.close();
    }
  });

  it('accepts a date 10 minutes off', async () => {
    const server = await startEcsServer({
      fixture: FIXTURE_PATH,
      now: () => Date.now() - 10 * 60 * 1000,
    });
    try {
      const response = await describeRegions(server);
      assert.equal(response.statusCode, 200);
    } finally {
      await server.close();
    }
  });
});

describe('ECS server test controls', () => {
  let server: EcsServer;

  before(async () => {
    server = await startEcsServer({ fixture: FIXTURE_PATH });
  });

  after(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.resetRequests();
    server.clearFaults();
    server.reset();
    server.latencyMs = 0;
  });

  it('reports its endpoint and host', () => {
    assert.ok(server.port > 0);
    assert.equal(server.endpoint, `http://127.0.0.1:${server.port}`);
    assert.equal(server.host, `127.0.0.1:${server.port}`);
  });

  it('fails the next call with failNext', async () => {
    server.failNext('DescribeRegions', {
      code: 'ServiceUnavailable',
      status: 503,
      message: 'try later',
    });

    const error = await expectApiError(describeRegions(server), 'ServiceUnavailable', 503);
    const second = await describeRegions(server);

    assert.equal(error.name, 'ServerError');
    assert.match(error.message, /try later/);
    assert.equal(second.statusCode, 200);
    assert.equal(server.requests[0].code, 'ServiceUnavailable');
    assert.equal(server.requests[0].status, 503);
  });

  it('fails as many calls as times', async () => {
    server.failNext('DescribeRegions', { code: 'InternalError', status: 500, times: 2 });

    await expectApiError(describeRegions(server), 'InternalError', 500);
    await expectApiError(describeRegions(server), 'InternalError', 500);
    const third = await describeRegions(server);

    assert.equal(third.statusCode, 200);
  });

  it('fails only the named action', async () => {
    server.failNext('DescribeInstances', { code: 'InternalError', status: 500 });

    const regions = await describeRegions(server);

    assert.equal(regions.statusCode, 200);
    assert.equal(server.requests[0].code, undefined);
  });

  it('sends x-acs-retry-after for throttling', async () => {
    server.failNext('DescribeRegions', {
      code: 'Throttling.User',
      status: 400,
      retryAfterMs: 1500,
    });

    const error = await expectApiError(describeRegions(server), 'Throttling.User', 400);

    assert.ok(error instanceof ThrottlingError);
    assert.equal(error.retryAfter, 1500);
  });

  it('injects faults only after the signature check', async () => {
    server.failNext('DescribeRegions', { code: 'InternalError', status: 500 });
    const account = { ...AK_ACCOUNT, accessKeySecret: 'wrong-secret' };

    await expectApiError(describeRegions(server, account), 'SignatureDoesNotMatch', 400);
    await expectApiError(describeRegions(server), 'InternalError', 500);
  });

  it('rejects failNext with zero times', () => {
    assert.throws(
      () => server.failNext('DescribeRegions', { code: 'InternalError', status: 500, times: 0 }),
      RangeError,
    );
  });

  it('drops pending faults on clearFaults', async () => {
    server.failNext('DescribeRegions', { code: 'InternalError', status: 500, times: 3 });
    server.clearFaults();

    const response = await describeRegions(server);

    assert.equal(response.statusCode, 200);
  });

  it('counts requests per action', async () => {
    const client = createClient(server);
    await client.describeRegions(new Ecs.DescribeRegionsRequest({}));
    await client.describeRegions(new Ecs.DescribeRegionsRequest({}));
    await client.describeVpcs(new Ecs.DescribeVpcsRequest({ regionId: 'cn-hangzhou' }));

    assert.equal(server.count('DescribeRegions'), 2);
    assert.equal(server.count('DescribeVpcs'), 1);
    assert.equal(server.count('JoinSecurityGroup'), 0);
    assert.deepEqual(server.requests[2].params, { RegionId: 'cn-hangzhou' });

    server.resetRequests();

    assert.equal(server.requests.length, 0);
    assert.equal(server.count('DescribeRegions'), 0);
  });

  it('records request times', async () => {
    const before = Date.now();
    await describeRegions(server);

    assert.ok(server.requests[0].time >= before);
    assert.ok(server.requests[0].time <= Date.now());
  });

  it('delays responses by latencyMs', async () => {
    server.latencyMs = 150;
    const started = Date.now();

    await describeRegions(server);

    assert.ok(Date.now() - started >= 140, `took ${Date.now() - started} ms`);
  });

  it('restores changed state on reset', async () => {
    const state = server.state;
    const instance = state.instances.find((item) => item.instanceId === 'i-bp1web01prod');
    assert.ok(instance);
    instance.instanceName = 'renamed';
    state.instances.pop();

    server.reset();

    assert.equal(server.state, state);
    const restored = server.state.instances.find((item) => item.instanceId === 'i-bp1web01prod');
    assert.equal(restored?.instanceName, '生产-web-01');
    assert.ok(server.state.instances.some((item) => item.instanceId === 'i-uf6db01'));
  });

  it('serves changes made to state', async () => {
    const group = server.state.securityGroups.find(
      (item) => item.securityGroupId === 'sg-bp1spare',
    );
    assert.ok(group);
    group.securityGroupName = 'changed-by-test';

    const response = await createClient(server).describeSecurityGroups(
      new Ecs.DescribeSecurityGroupsRequest({
        regionId: 'cn-hangzhou',
        securityGroupId: 'sg-bp1spare',
      }),
    );

    assert.equal(
      response.body?.securityGroups?.securityGroup?.[0].securityGroupName,
      'changed-by-test',
    );
  });
});

describe('ECS server startup', () => {
  it('listens on a requested port', async () => {
    const probe = await startEcsServer({ fixture: FIXTURE_PATH });
    const port = probe.port;
    await probe.close();

    const server = await startEcsServer({ fixture: FIXTURE_PATH, port });
    try {
      assert.equal(server.port, port);
      assert.equal(server.endpoint, `http://127.0.0.1:${port}`);
    } finally {
      await server.close();
    }
  });

  it('accepts a fixture object', async () => {
    const server = await startEcsServer({
      fixture: {
        accounts: [AK_ACCOUNT],
        regions: [{ regionId: 'cn-hangzhou', localName: { 'zh-CN': '杭州', 'en-US': 'Hangzhou' } }],
        vpcs: [],
        instances: [],
        securityGroups: [],
      },
    });
    try {
      const response = await describeRegions(server);
      assert.deepEqual(
        response.body?.regions?.region?.map((region) => region.localName),
        ['杭州'],
      );
    } finally {
      await server.close();
    }
  });

  it('rejects a fixture with a dangling group', async () => {
    await assert.rejects(
      startEcsServer({
        fixture: {
          accounts: [AK_ACCOUNT],
          regions: [
            { regionId: 'cn-hangzhou', localName: { 'zh-CN': '杭州', 'en-US': 'Hangzhou' } },
          ],
          vpcs: [],
          securityGroups: [],
          instances: [
            {
              instanceId: 'i-orphan',
              instanceName: 'orphan',
              regionId: 'cn-hangzhou',
              zoneId: 'cn-hangzhou-h',
              status: 'Running',
              instanceNetworkType: 'classic',
              securityGroupIds: ['sg-missing'],
            },
          ],
        },
      }),
      /i-orphan refers to the unknown group sg-missing/,
    );
  });
});
