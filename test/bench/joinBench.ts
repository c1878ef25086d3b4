// Joins 500 instances to a group through the extension's service layer and through a naive
// sequential SDK loop, against the local ECS server with latency added to every call.
import * as EcsSdk from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { createTranslator } from '../../src/i18n/translate';
import { JoinService } from '../../src/service/joinService';
import type { EcsFixture } from '../server/fixtureTypes';
import { startEcsServer, type EcsServer } from '../server/ecsServer';
import { loadFixture } from '../server/fixture';
import { gatewayFor } from '../service/support';
import { ecsFixture } from '../support/paths';
import { formatMs, type BenchSection } from './machine';

const INSTANCE_COUNT = 500;
const LATENCY_MS = 50;
const CONCURRENCY = 5;
const TARGET_GROUP = 'sg-bp1benchtarget';
const FIXTURE_KEY = {
  accessKeyId: 'LTAI5tFixtureAccessKey01',
  accessKeySecret: 'fixtureSecret-0001-not-a-real-key',
};

/** The shared fixture plus 500 Running instances in vpc-bp1test and a group with room for them. */
function benchFixture(): EcsFixture {
  const fixture = loadFixture(ecsFixture);
  const template = fixture.instances.find((item) => item.instanceId === 'i-bp1worker01');
  if (!template) {
    throw new Error('The fixture has no i-bp1worker01 to copy');
  }
  for (let index = 0; index < INSTANCE_COUNT; index++) {
    fixture.instances.push({
      ...template,
      instanceId: `i-bp1bench${String(index).padStart(4, '0')}`,
      instanceName: `bench-${index}`,
      status: 'Running',
      securityGroupIds: ['sg-bp1test'],
      privateIpAddress: undefined,
    });
  }
  fixture.securityGroups.push({
    securityGroupId: TARGET_GROUP,
    securityGroupName: 'bench-target',
    regionId: 'cn-hangzhou',
    vpcId: 'vpc-bp1test',
    securityGroupType: 'normal',
    maxInstances: 1000,
  });
  return fixture;
}

function instanceIds(): string[] {
  return Array.from(
    { length: INSTANCE_COUNT },
    (_, index) => `i-bp1bench${String(index).padStart(4, '0')}`,
  );
}

function countByAction(server: EcsServer): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of server.requests) {
    counts[request.action] = (counts[request.action] ?? 0) + 1;
  }
  return counts;
}

async function runExtensionPath(server: EcsServer): Promise<{ ms: number; done: number }> {
  const { gateway } = gatewayFor(server, undefined, {
    sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
  });
  const service = new JoinService({
    gateway,
    translate: createTranslator(),
    groupsPerInstance: () => 5,
  });
  const pairs = instanceIds().map((instanceId) => ({
    regionId: 'cn-hangzhou',
    instanceId,
    securityGroupId: TARGET_GROUP,
  }));
  const started = performance.now();
  const plan = await service.plan('join', pairs);
  const summary = await service.run(plan, { concurrencyPerRegion: CONCURRENCY });
  return { ms: performance.now() - started, done: summary.done };
}

/** What a script written straight against the SDK does: look each instance up, then join it. */
async function runNaiveLoop(server: EcsServer): Promise<{ ms: number }> {
  const client = new EcsSdk.default(
    new $OpenApiUtil.Config({ ...FIXTURE_KEY, endpoint: server.host, protocol: 'http' }),
  );
  const started = performance.now();
  for (const instanceId of instanceIds()) {
    await client.describeInstances(
      new EcsSdk.DescribeInstancesRequest({
        regionId: 'cn-hangzhou',
        instanceIds: JSON.stringify([instanceId]),
      }),
    );
    await client.joinSecurityGroup(
      new EcsSdk.JoinSecurityGroupRequest({
        regionId: 'cn-hangzhou',
        instanceId,
        securityGroupId: TARGET_GROUP,
      }),
    );
  }
  return { ms: performance.now() - started };
}

export async function runJoinBench(): Promise<BenchSection> {
  const server = await startEcsServer({ fixture: benchFixture(), latencyMs: LATENCY_MS });
  try {
    const ours = await runExtensionPath(server);
    const ourCalls = countByAction(server);
    if (ours.done !== INSTANCE_COUNT) {
      throw new Error(`Only ${ours.done} of ${INSTANCE_COUNT} joins succeeded`);
    }
    server.reset();
    server.resetRequests();
    const naive = await runNaiveLoop(server);
    const naiveCalls = countByAction(server);

    const joinBound = Math.ceil(INSTANCE_COUNT / CONCURRENCY) * LATENCY_MS;
    const minimum: Record<string, number> = {
      DescribeInstances: Math.ceil(INSTANCE_COUNT / 100),
      DescribeSecurityGroups: 1,
      JoinSecurityGroup: INSTANCE_COUNT,
    };
    const lines = [
      `Join ${INSTANCE_COUNT} instances to one group, ${LATENCY_MS} ms added to every call, concurrency ${CONCURRENCY} per region.`,
      '',
      '| | wall time | against the lower bound |',
      '|---|---|---|',
      `| extension (plan + run) | ${formatMs(ours.ms)} | ${(ours.ms / joinBound).toFixed(2)} × ceil(${INSTANCE_COUNT} / ${CONCURRENCY}) × ${LATENCY_MS} ms = ${formatMs(joinBound)} |`,
      `| naive sequential SDK loop | ${formatMs(naive.ms)} | ${(naive.ms / joinBound).toFixed(2)} × |`,
      '',
      '| action | extension calls | minimum | naive loop calls |',
      '|---|---|---|---|',
      ...Object.keys(minimum).map(
        (action) =>
          `| ${action} | ${ourCalls[action] ?? 0} | ${minimum[action]} | ${naiveCalls[action] ?? 0} |`,
      ),
      '',
      `The planning reads (${minimum.DescribeInstances + minimum.DescribeSecurityGroups} calls, sequential) add about ${(minimum.DescribeInstances + minimum.DescribeSecurityGroups) * LATENCY_MS} ms to the lower bound of the joins alone.`,
    ];
    return { title: 'Batch join', lines };
  } finally {
    await server.close();
  }
}
