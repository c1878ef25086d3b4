import * as assert from 'node:assert/strict';
import { parseEndpoint } from '../../src/ecs/endpoint';

describe('parseEndpoint', () => {
  it('treats an empty value as Alibaba Cloud', () => {
    assert.deepEqual(parseEndpoint(''), { ok: true, endpoint: undefined });
    assert.deepEqual(parseEndpoint('   '), { ok: true, endpoint: undefined });
    assert.deepEqual(parseEndpoint(undefined), { ok: true, endpoint: undefined });
  });

  it('splits an http URL into host and protocol', () => {
    const result = parseEndpoint('http://127.0.0.1:18090');
    assert.ok(result.ok && result.endpoint);
    assert.equal(result.endpoint.host, '127.0.0.1:18090');
    assert.equal(result.endpoint.protocol, 'http');
    assert.equal(result.endpoint.url, 'http://127.0.0.1:18090');
  });

  it('accepts a trailing slash and https', () => {
    const result = parseEndpoint('https://ecs.cn-hangzhou.aliyuncs.com/');
    assert.ok(result.ok && result.endpoint);
    assert.equal(result.endpoint.host, 'ecs.cn-hangzhou.aliyuncs.com');
    assert.equal(result.endpoint.protocol, 'https');
  });

  const invalid: Array<[string, string]> = [
    ['127.0.0.1:18090', 'scheme'],
    ['not a url', 'scheme'],
    ['http://bad host', 'notUrl'],
    ['ftp://127.0.0.1', 'scheme'],
    ['http://127.0.0.1:18090/api', 'path'],
    ['http://user:pw@127.0.0.1', 'path'],
    ['http://127.0.0.1/?x=1', 'path'],
  ];
  for (const [value, problem] of invalid) {
    it(`rejects ${value}`, () => {
      const result = parseEndpoint(value);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.problem, problem);
        assert.equal(result.value, value);
      }
    });
  }
});
