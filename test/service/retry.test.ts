import * as assert from 'node:assert/strict';
import { createTranslator } from '../../src/i18n/translate';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../../src/ecs/retry';
import { EcsApiError } from '../../src/ecs/errors';
import { JoinService } from '../../src/service/joinService';
import { startEcsServer, type EcsServer } from '../server/ecsServer';
import { FIXTURE_PATH, gatewayFor } from './support';

const JOIN = {
  regionId: 'cn-hangzhou',
  instanceId: 'i-bp1web01prod',
  securityGroupId: 'sg-bp1app',
};

describe('retries', () => {
  let server: EcsServer;

  before(async () => {
    server = await startEcsServer({ fixture: FIXTURE_PATH });
  });

  after(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.reset();
    server.resetRequests();
    server.clearFaults();
    server.latencyMs = 0;
  });

  function serviceWith(options: Parameters<typeof gatewayFor>[2] = {}) {
    const harness = gatewayFor(server, undefined, options);
    const service = new JoinService({
      gateway: harness.gateway,
      translate: createTranslator(),
      groupsPerInstance: () => 5,
    });
    return { ...harness, service };
  }

  it('waits as long as x-acs-retry-after asks on throttling', async () => {
    const { service, delays } = serviceWith();
    server.failNext('JoinSecurityGroup', {
      code: 'Throttling.User',
      status: 400,
      retryAfterMs: 1234,
    });

    const outcome = await service.join(JOIN);

    assert.equal(outcome.kind, 'joined', outcome.message);
    assert.equal(server.count('JoinSecurityGroup'), 2);
    assert.deepEqual(delays, [1234]);
  });

  it('retries OperationConflict and 5xx answers', async () => {
    const { service, delays } = serviceWith();
    server.failNext('JoinSecurityGroup', { code: 'OperationConflict', status: 409 });
    server.failNext('JoinSecurityGroup', { code: 'ServiceUnavailable', status: 503 });

    const outcome = await service.join(JOIN);

    assert.equal(outcome.kind, 'joined', outcome.message);
    assert.equal(server.count('JoinSecurityGroup'), 3);
    assert.equal(delays.length, 2);
  });

  it('stops after the maximum number of attempts', async () => {
    const { service } = serviceWith();
    server.failNext('JoinSecurityGroup', { code: 'Throttling.Api', status: 400, times: 20 });

    const outcome = await service.join(JOIN);

    assert.equal(outcome.kind, 'failed');
    assert.equal(server.count('JoinSecurityGroup'), DEFAULT_RETRY_POLICY.maxAttempts);
  });

  it('retries a dropped connection', async () => {
    const { service, records } = serviceWith();
    server.failNext('JoinSecurityGroup', { code: 'Dropped', status: 0, dropConnection: true });

    const outcome = await service.join(JOIN);

    assert.equal(outcome.kind, 'joined', outcome.message);
    assert.equal(server.count('JoinSecurityGroup'), 2);
    const first = records.find((record) => record.action === 'JoinSecurityGroup');
    assert.equal(first?.error?.statusCode, 0);
    assert.equal(first?.error?.code, 'ECONNRESET');
  });

  it('never retries a rule error', async () => {
    const { service, delays } = serviceWith();
    server.failNext('JoinSecurityGroup', { code: 'IncorrectInstanceStatus', status: 403 });

    const outcome = await service.join(JOIN);

    assert.equal(outcome.kind, 'failed');
    assert.equal(server.count('JoinSecurityGroup'), 1);
    assert.deepEqual(delays, []);
  });

  /**
   * A service whose JoinSecurityGroup answers arrive after the read timeout: the lookups are
   * fast, then the server slows down, so the first join attempt is applied but its answer lost.
   * Before the retry, `beforeRetry` runs with the server fast again.
   */
  function serviceWithLostJoinAnswer(beforeRetry: () => Promise<void>) {
    return serviceWith({
      readTimeoutMs: 300,
      connectTimeoutMs: 100,
      onRequest: (record) => {
        if (record.action === 'DescribeSecurityGroups') {
          server.latencyMs = 800;
        }
      },
      sleep: async () => {
        server.latencyMs = 0;
        await beforeRetry();
      },
    });
  }

  async function untilJoined(instanceId: string, groupId: string): Promise<void> {
    const instance = server.state.instances.find((item) => item.instanceId === instanceId);
    while (!instance?.securityGroupIds.includes(groupId)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('counts a join confirmed after a timeout as joined', async () => {
    const { service } = serviceWithLostJoinAnswer(() =>
      untilJoined(JOIN.instanceId, JOIN.securityGroupId),
    );

    const outcome = await service.join(JOIN);

    assert.equal(outcome.kind, 'joined', outcome.message);
    if (outcome.kind === 'joined') {
      assert.equal(outcome.confirmedByRetry, true);
      assert.match(outcome.message, /timed out/);
    }
    const joins = server.requests.filter((request) => request.action === 'JoinSecurityGroup');
    assert.deepEqual(
      joins.map((request) => request.code),
      [undefined, 'InvalidInstanceId.AlreadyExists'],
    );
  });

  it('does not count other errors after a timeout as success', async () => {
    const { service } = serviceWithLostJoinAnswer(async () => {
      await untilJoined(JOIN.instanceId, JOIN.securityGroupId);
      server.failNext('JoinSecurityGroup', { code: 'IncorrectInstanceStatus', status: 403 });
    });

    const outcome = await service.join(JOIN);

    assert.equal(outcome.kind, 'failed');
    if (outcome.kind === 'failed') {
      assert.equal(outcome.error.code, 'IncorrectInstanceStatus');
    }
  });

  it('does not retry once cancelled', async () => {
    const { service } = serviceWith();
    const signal = { cancelled: false };
    server.failNext('JoinSecurityGroup', { code: 'Throttling', status: 400, times: 10 });

    const outcome = await service.join(JOIN, {
      signal,
      onRetry: () => {
        signal.cancelled = true;
      },
    });

    assert.equal(outcome.kind, 'failed');
    assert.equal(server.count('JoinSecurityGroup'), 1);
  });

  it('backs off exponentially with jitter', () => {
    const error = new EcsApiError('Throttling', 400, '', '', '', 'JoinSecurityGroup');
    const policy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(
      retryDelay(policy, 1, error, () => 1),
      100,
    );
    assert.equal(
      retryDelay(policy, 2, error, () => 1),
      200,
    );
    assert.equal(
      retryDelay(policy, 3, error, () => 1),
      400,
    );
    assert.equal(
      retryDelay(policy, 5, error, () => 1),
      1000,
    );
    assert.equal(
      retryDelay(policy, 3, error, () => 0.5),
      200,
    );
    assert.equal(
      retryDelay(policy, 3, error, () => 0),
      0,
    );
  });
});
