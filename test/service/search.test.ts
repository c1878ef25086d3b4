import * as assert from 'node:assert/strict';
import {
  findInstances,
  findSecurityGroups,
  instanceFilters,
  parseGroupQuery,
  parseInstanceQuery,
} from '../../src/ecs/search';
import { startEcsServer, type EcsServer } from '../server/ecsServer';
import { FIXTURE_PATH, gatewayFor } from './support';

describe('search queries', () => {
  it('reads instance IDs, addresses, tags and names', () => {
    assert.deepEqual(parseInstanceQuery('  i-bp1web01prod, i-bp1db01prod i-bp1web01prod '), {
      kind: 'ids',
      ids: ['i-bp1web01prod', 'i-bp1db01prod'],
    });
    assert.deepEqual(parseInstanceQuery('172.16.1.11'), {
      kind: 'ipAddress',
      address: '172.16.1.11',
    });
    assert.deepEqual(parseInstanceQuery('env=prod'), {
      kind: 'tag',
      tag: { key: 'env', value: 'prod' },
    });
    assert.deepEqual(parseInstanceQuery('tag:app='), { kind: 'tag', tag: { key: 'app' } });
    assert.deepEqual(parseInstanceQuery('web-01'), { kind: 'name', pattern: '*web-01*' });
    assert.deepEqual(parseInstanceQuery('生产*'), { kind: 'name', pattern: '生产*' });
    assert.equal(parseInstanceQuery('   '), undefined);
  });

  it('takes an address out of range as a name', () => {
    assert.deepEqual(parseInstanceQuery('300.1.1.1'), { kind: 'name', pattern: '*300.1.1.1*' });
  });

  it('reads group IDs and names', () => {
    assert.deepEqual(parseGroupQuery('sg-bp1web sg-bp1app'), {
      kind: 'ids',
      ids: ['sg-bp1web', 'sg-bp1app'],
    });
    assert.deepEqual(parseGroupQuery(' web '), { kind: 'name', text: 'web' });
  });

  it('sends IDs in chunks of at most 100', () => {
    const ids = Array.from({ length: 250 }, (_, index) => `i-chunk${index}`);
    const filters = instanceFilters({ kind: 'ids', ids });
    assert.deepEqual(
      filters.map((filter) => filter.instanceIds?.length),
      [100, 100, 50],
    );
  });

  it('looks an address up as private, public and inner IP', () => {
    const filters = instanceFilters({ kind: 'ipAddress', address: '10.80.1.14' });
    assert.deepEqual(filters, [
      { privateIpAddresses: ['10.80.1.14'] },
      { publicIpAddresses: ['10.80.1.14'] },
      { innerIpAddresses: ['10.80.1.14'] },
    ]);
  });
});

describe('search against the local server', () => {
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

  async function instanceIds(text: string): Promise<string[]> {
    const query = parseInstanceQuery(text);
    assert.ok(query, text);
    const { gateway } = gatewayFor(server);
    const result = await findInstances(gateway, 'cn-hangzhou', query);
    return result.items.map((instance) => instance.instanceId);
  }

  it('finds instances by name with the InstanceName filter', async () => {
    assert.deepEqual(await instanceIds('生产*'), [
      'i-bp1web01prod',
      'i-bp1web02prod',
      'i-bp1db01prod',
    ]);
    const [request] = server.requests;
    assert.equal(request.params.InstanceName, '生产*');
    assert.equal(request.params.MaxResults, '100');
  });

  it('finds an instance by part of its name', async () => {
    assert.deepEqual(await instanceIds('web-02'), ['i-bp1web02prod']);
  });

  it('finds instances by ID, IP address and tag', async () => {
    assert.deepEqual(await instanceIds('i-bp1db01prod'), ['i-bp1db01prod']);
    assert.deepEqual(await instanceIds('172.16.1.11'), ['i-bp1web01prod']);
    assert.deepEqual(await instanceIds('47.96.10.11'), ['i-bp1web01prod']);
    assert.deepEqual(await instanceIds('10.80.1.14'), ['i-bp1classic01']);
    assert.deepEqual(await instanceIds('app=web'), ['i-bp1web01prod', 'i-bp1web02prod']);
  });

  it('sends each filter in one request', async () => {
    await instanceIds('172.16.1.11');
    const filters = server.requests.map((request) =>
      Object.keys(request.params).filter((name) => name.endsWith('IpAddresses')),
    );
    assert.deepEqual(filters, [
      ['PrivateIpAddresses'],
      ['PublicIpAddresses'],
      ['InnerIpAddresses'],
    ]);
  });

  it('finds groups by ID with one request', async () => {
    const { gateway } = gatewayFor(server);
    const result = await findSecurityGroups(gateway, 'cn-hangzhou', {
      kind: 'ids',
      ids: ['sg-bp1web', 'sg-bp1db'],
    });
    assert.deepEqual(result.items.map((group) => group.securityGroupId).sort(), [
      'sg-bp1db',
      'sg-bp1web',
    ]);
    assert.equal(server.count('DescribeSecurityGroups'), 1);
  });

  it('finds groups by part of the name, ignoring case', async () => {
    const { gateway } = gatewayFor(server);
    const progress: number[] = [];
    const result = await findSecurityGroups(
      gateway,
      'cn-hangzhou',
      { kind: 'name', text: 'ENTERPRISE' },
      { onProgress: (partial) => progress.push(partial.items.length) },
    );
    assert.deepEqual(result.items.map((group) => group.securityGroupId).sort(), [
      'sg-bp1ent',
      'sg-bp1ent2',
    ]);
    assert.equal(result.truncated, false);
    const [exact, ...scan] = server.requests;
    assert.equal(exact.params.SecurityGroupName, 'ENTERPRISE');
    assert.ok(scan.every((request) => request.params.MaxResults === '100'));
    assert.ok(progress.length >= 1);
  });
});
