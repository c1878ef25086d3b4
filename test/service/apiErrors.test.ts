import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTranslator } from '../../src/i18n/translate';
import { JoinService } from '../../src/service/joinService';
import { describeErrorCode } from '../../src/service/messages';
import { DEFAULT_RETRY_POLICY } from '../../src/ecs/retry';
import { startHarness, type GatewayHarness } from './support';

const ZH_BUNDLE = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../l10n/bundle.l10n.zh-cn.json'), 'utf8'),
) as Record<string, string>;

/** The error table of the JoinSecurityGroup API reference: HTTP status and code. */
const API_PAGE_ERRORS: Array<[number, string]> = [
  [404, 'InvalidSecurityGroupId.NotFound'],
  [400, 'InstanceSecurityGroupLimitExceeded'],
  [403, 'IncorrectInstanceStatus'],
  [403, 'InstanceLockedForSecurity'],
  [403, 'SecurityGroupInstanceLimitExceeded'],
  [404, 'InvalidInstanceId.NotFound'],
  [400, 'InvalidInstanceId.Mismatch'],
  [403, 'InvalidInstanceId.AlreadyExists'],
  [500, 'InternalError'],
  [403, 'AclLimitExceed'],
  [403, 'InstanceSecurityGroupLimitExceeded'],
];

describe('JoinSecurityGroup API errors', () => {
  let harness: GatewayHarness;
  const english = createTranslator();
  const chinese = createTranslator(ZH_BUNDLE);

  before(async () => {
    harness = await startHarness();
  });

  after(async () => {
    await harness.server.close();
  });

  beforeEach(() => {
    harness.server.reset();
    harness.server.resetRequests();
    harness.server.clearFaults();
  });

  for (const [status, code] of API_PAGE_ERRORS) {
    it(`explains ${code} (${status})`, async () => {
      // A 500 is retried, so the server returns it to every attempt.
      harness.server.failNext('JoinSecurityGroup', {
        code,
        status,
        times: status >= 500 ? 10 : 1,
        message: `server text for ${code}`,
      });
      const service = new JoinService({
        gateway: harness.gateway,
        translate: english,
        groupsPerInstance: () => 5,
      });

      const outcome = await service.join({
        regionId: 'cn-hangzhou',
        instanceId: 'i-bp1web01prod',
        securityGroupId: 'sg-bp1app',
      });

      assert.equal(outcome.kind, 'failed');
      if (outcome.kind !== 'failed') {
        return;
      }
      assert.equal(
        harness.server.count('JoinSecurityGroup'),
        status >= 500 ? DEFAULT_RETRY_POLICY.maxAttempts : 1,
      );
      assert.equal(outcome.error.code, code);
      assert.equal(outcome.error.statusCode, status);
      assert.match(outcome.error.requestId, /^[0-9A-F-]{36}$/);
      assert.match(outcome.error.recommend, /^https:\/\//);
      const explanation = describeErrorCode(code, english);
      assert.ok(explanation, `an English explanation for ${code}`);
      assert.ok(outcome.message.includes(explanation), outcome.message);
      assert.ok(outcome.message.includes(`${code} ${status}`), outcome.message);
      assert.ok(
        !outcome.message.includes('code: '),
        `the SDK's repeated prefix is gone: ${outcome.message}`,
      );
      const chineseText = describeErrorCode(code, chinese);
      assert.ok(chineseText && chineseText !== explanation, `a Chinese explanation for ${code}`);
      assert.match(chineseText, /[\u4e00-\u9fff]/);
    });
  }

  it('shows an unknown code as it came', async () => {
    harness.server.failNext('JoinSecurityGroup', {
      code: 'InvalidOperation.SomethingNew',
      status: 403,
      message: 'A brand-new refusal.',
    });
    const service = new JoinService({
      gateway: harness.gateway,
      translate: english,
      groupsPerInstance: () => 5,
    });
    const outcome = await service.join({
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1web01prod',
      securityGroupId: 'sg-bp1app',
    });
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.message, /A brand-new refusal\./);
    assert.match(outcome.message, /InvalidOperation\.SomethingNew 403/);
  });

  it('reports a refused connection as unreachable', async () => {
    const closed = await startHarness();
    await closed.server.close();
    const service = new JoinService({
      gateway: closed.gateway,
      translate: english,
      groupsPerInstance: () => 5,
    });
    const outcome = await service.join({
      regionId: 'cn-hangzhou',
      instanceId: 'i-bp1web01prod',
      securityGroupId: 'sg-bp1app',
    });
    assert.equal(outcome.kind, 'failed');
    if (outcome.kind === 'failed') {
      assert.equal(outcome.error.statusCode, 0);
      assert.match(outcome.message, /could not be reached/);
      assert.ok(
        outcome.message.includes(closed.server.endpoint),
        `the message names ${closed.server.endpoint}: ${outcome.message}`,
      );
    }
  });
});
