import * as assert from 'node:assert/strict';
import { maskAccessKeyId } from '../../src/credentials/credentialSource';
import { Redactor } from '../../src/util/redact';

describe('Redactor', () => {
  it('masks an AccessKey ID to 4 and 2 characters', () => {
    assert.equal(maskAccessKeyId('LTAI5tFixtureAccessKey01'), 'LTAI****01');
    assert.equal(maskAccessKeyId('abc'), '***');
  });

  it('removes registered secrets and tokens', () => {
    const redactor = new Redactor();
    redactor.addCredentials({
      accessKeyId: 'STS.FixtureStsAccessKey01',
      accessKeySecret: 'fixtureStsSecret-0001-not-a-real-key',
      securityToken: 'fixtureStsToken-0001-not-a-real-token',
    });
    const text =
      'id=STS.FixtureStsAccessKey01 secret=fixtureStsSecret-0001-not-a-real-key token=fixtureStsToken-0001-not-a-real-token';
    const result = redactor.redact(text);
    assert.ok(!result.includes('fixtureStsSecret-0001'), result);
    assert.ok(!result.includes('fixtureStsToken-0001'), result);
    assert.ok(!result.includes('FixtureStsAccessKey01'), result);
    assert.match(result, /STS\.\*\*\*\*01/);
  });

  it('drops authorization headers and signatures it was not told about', () => {
    const redactor = new Redactor();
    const text =
      'authorization: ACS3-HMAC-SHA256 Credential=LTAI5tOther99,SignedHeaders=host,Signature=0123456789abcdef0123456789abcdef';
    const result = redactor.redact(text);
    assert.ok(!result.includes('0123456789abcdef'), result);
    assert.ok(!result.includes('LTAI5tOther99'), result);
  });

  it('masks unregistered AccessKey IDs by pattern', () => {
    const result = new Redactor().redact('key LTAI5tSomeoneElse42 used');
    assert.equal(result, 'key LTAI****42 used');
  });
});
