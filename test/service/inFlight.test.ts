import * as assert from 'node:assert/strict';
import { PAGE_LIMITS } from '../../src/ecs/gateway';
import { InFlightLimiter } from '../../src/ecs/inFlight';
import { generateLargeFixture, LARGEST } from '../fixtures/largeFixture';
import { startEcsServer, type EcsServer } from '../server/ecsServer';
import { gatewayFor } from './support';

/** Lets pending promise callbacks run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('in-flight limiter', () => {
  /** Runs tasks that each wait for `release()`, and records how many ran at once. */
  function tracker() {
    const running = new Map<string, number>();
    const peak = { total: 0, perKey: new Map<string, number>() };
    const gates: Array<() => void> = [];
    let total = 0;
    const task = (key: string) => async () => {
      total += 1;
      running.set(key, (running.get(key) ?? 0) + 1);
      peak.total = Math.max(peak.total, total);
      peak.perKey.set(key, Math.max(peak.perKey.get(key) ?? 0, running.get(key) ?? 0));
      await new Promise<void>((resolve) => gates.push(resolve));
      total -= 1;
      running.set(key, (running.get(key) ?? 1) - 1);
    };
    const releaseAll = async () => {
      while (gates.length > 0) {
        for (const open of gates.splice(0)) {
          open();
        }
        await settle();
      }
    };
    return { task, peak, releaseAll, gates };
  }

  it('caps each region and the total', async () => {
    const limiter = new InFlightLimiter({ perRegion: 2, overall: 3 });
    const { task, peak, releaseAll } = tracker();
    const runs = [
      ...Array.from({ length: 5 }, () => limiter.run('cn-hangzhou', task('cn-hangzhou'))),
      ...Array.from({ length: 5 }, () => limiter.run('cn-beijing', task('cn-beijing'))),
    ];
    await settle();
    assert.equal(limiter.inFlight, 3);
    assert.equal(limiter.queued, 7);
    await releaseAll();
    await Promise.all(runs);

    assert.equal(peak.total, 3);
    assert.equal(peak.perKey.get('cn-hangzhou'), 2);
    assert.equal(peak.perKey.get('cn-beijing'), 2);
    assert.equal(limiter.inFlight, 0);
  });

  it('lets another region pass a full one', async () => {
    const limiter = new InFlightLimiter({ perRegion: 1, overall: 5 });
    const { task, gates, releaseAll } = tracker();
    const first = limiter.run('cn-hangzhou', task('cn-hangzhou'));
    const second = limiter.run('cn-hangzhou', task('cn-hangzhou'));
    const other = limiter.run('cn-beijing', task('cn-beijing'));
    await settle();

    assert.equal(gates.length, 2, 'the cn-beijing task runs beside the first cn-hangzhou one');
    assert.equal(limiter.queued, 1);
    await releaseAll();
    await Promise.all([first, second, other]);
  });

  it('frees the slot of a failed task', async () => {
    const limiter = new InFlightLimiter({ perRegion: 1, overall: 1 });
    await assert.rejects(
      limiter.run('cn-hangzhou', async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await limiter.run('cn-hangzhou', async () => 'next'), 'next');
  });

  it('rejects a limit below one', () => {
    assert.throws(() => new InFlightLimiter({ perRegion: 0 }), /perRegion/);
  });
});

describe('gateway against the large fixture', function () {
  this.timeout(60_000);
  let server: EcsServer;

  before(async () => {
    server = await startEcsServer({ fixture: generateLargeFixture() });
  });

  after(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.resetRequests();
    server.latencyMs = 0;
  });

  it('lists a VPC in pages of 100 until NextToken is empty', async () => {
    const { gateway } = gatewayFor(server);
    let token: string | undefined;
    let count = 0;
    do {
      const page = await gateway.listInstances(LARGEST.regionId, { vpcId: LARGEST.vpcId }, token);
      count += page.items.length;
      token = page.nextToken || undefined;
    } while (token);

    assert.equal(count, LARGEST.vpcInstances);
    const requests = server.requests.filter((request) => request.action === 'DescribeInstances');
    assert.equal(requests.length, LARGEST.vpcInstances / PAGE_LIMITS.describeInstances);
    for (const request of requests) {
      assert.equal(request.params.MaxResults, '100');
    }
    assert.equal(requests[0].params.NextToken, undefined);
    assert.ok(requests.slice(1).every((request) => request.params.NextToken));
  });

  it('keeps requests in flight under its caps', async () => {
    server.latencyMs = 40;
    const { gateway } = gatewayFor(server, undefined, { inFlight: { perRegion: 3, overall: 4 } });
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, gateway.load.inFlight);
    }, 5);
    const regions = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'];
    try {
      await Promise.all(
        regions.flatMap((regionId) =>
          Array.from({ length: 6 }, () =>
            gateway.listInstances(regionId, { instanceIds: ['i-none'] }),
          ),
        ),
      );
    } finally {
      clearInterval(sampler);
    }

    assert.equal(server.count('DescribeInstances'), 18);
    assert.equal(peak, 4);
    assert.equal(gateway.load.inFlight, 0);
    assert.equal(gateway.load.queued, 0);
    const arrivals = server.requests.map((request) => request.time).sort((a, b) => a - b);
    // Four at a time and 40 ms each: the 18th request cannot arrive before the 4th round.
    assert.ok(arrivals[arrivals.length - 1] - arrivals[0] >= 4 * 40 - 10);
  });
});
