// Every mode of the CLI profile file, against the local ECS server and a local credentials URI.
import * as assert from 'node:assert/strict';
import { EcsApiError } from '../../src/ecs/errors';
import { CredentialError } from '../../src/credentials/problems';
import { SelectedCredentials, selectSource } from '../../src/credentials/sources';
import { startEcsServer, type EcsServer } from '../server/ecsServer';
import {
  INACTIVE_KEY,
  STS_KEY,
  startCredentialsUriServer,
  writeProfileFile,
  type CredentialsUriServer,
} from './profileFixtures';
import { connectionTargets, FIXTURE_KEY, FIXTURE_PATH, gatewayFor } from './support';

const FIXTURE_SECRETS = [
  FIXTURE_KEY.accessKeySecret,
  STS_KEY.accessKeySecret,
  STS_KEY.securityToken,
  INACTIVE_KEY.accessKeySecret,
  'fixture-private-key-not-real',
  'fixtureBearer-0001-not-a-real-token',
];

function assertNoSecret(text: string) {
  for (const secret of FIXTURE_SECRETS) {
    assert.ok(!text.includes(secret), `"${text}" contains a fixture secret`);
  }
}

describe('CLI profile modes', () => {
  let server: EcsServer;
  let uriServer: CredentialsUriServer;
  let configPath: string;

  before(async () => {
    server = await startEcsServer({ fixture: FIXTURE_PATH });
    uriServer = await startCredentialsUriServer();
    configPath = writeProfileFile({ uri: uriServer.url });
  });

  after(async () => {
    await server.close();
    await uriServer.close();
  });

  beforeEach(() => {
    server.resetRequests();
  });

  function credentialsFor(profile: string) {
    return new SelectedCredentials(selectSource({ chosenProfile: profile, env: {}, configPath }), {
      env: {},
      externalTimeoutMs: 5_000,
    });
  }

  async function failureOf(profile: string): Promise<CredentialError> {
    const error = await credentialsFor(profile)
      .resolve()
      .then(
        () => assert.fail(`profile ${profile} resolved`),
        (thrown: unknown) => thrown,
      );
    assert.ok(error instanceof CredentialError, `${profile}: ${String(error)}`);
    assertNoSecret(error.message);
    return error;
  }

  async function describeRegionsAs(profile: string) {
    const { gateway } = gatewayFor(server, credentialsFor(profile));
    return gateway.listRegions('en-US');
  }

  it('signs with an AK profile', async () => {
    const regions = await describeRegionsAs('default');
    assert.ok(regions.length > 0);
    assert.equal(server.requests[0].accessKeyId, FIXTURE_KEY.accessKeyId);
    assert.equal(server.requests[0].headers['x-acs-security-token'], undefined);
  });

  it('matches the mode without regard to case', async () => {
    const selection = selectSource({ chosenProfile: 'lowercase-mode', env: {}, configPath });
    assert.equal(selection.mode, 'AK');
    await describeRegionsAs('lowercase-mode');
    assert.equal(server.requests[0].status, 200);
  });

  it('recognises the mode of a profile without one', async () => {
    const selection = selectSource({ chosenProfile: 'no-mode', env: {}, configPath });
    assert.equal(selection.mode, 'AK');
    await describeRegionsAs('no-mode');
    assert.equal(server.requests[0].status, 200);
  });

  it('sends the token of a StsToken profile', async () => {
    await describeRegionsAs('sts');
    assert.equal(server.requests[0].accessKeyId, STS_KEY.accessKeyId);
    assert.equal(server.requests[0].headers['x-acs-security-token'], STS_KEY.securityToken);
    assert.equal(server.requests[0].status, 200);
  });

  it('gets InvalidAccessKeyId.Inactive for a disabled key', async () => {
    await assert.rejects(
      describeRegionsAs('inactive'),
      (error: unknown) =>
        error instanceof EcsApiError && error.code === 'InvalidAccessKeyId.Inactive',
    );
  });

  it('gets InvalidSecurityToken.Expired for an expired token', async () => {
    await assert.rejects(
      describeRegionsAs('expired'),
      (error: unknown) =>
        error instanceof EcsApiError && error.code === 'InvalidSecurityToken.Expired',
    );
  });

  it('names the missing field of a profile', async () => {
    const error = await failureOf('ak-without-secret');
    assert.deepEqual(error.problem, {
      kind: 'missingField',
      profile: 'ak-without-secret',
      mode: 'AK',
      field: 'access_key_secret',
    });
    assert.match(error.message, /aliyun configure --profile ak-without-secret --mode AK/);
  });

  it('reads credentials from a CredentialsURI profile', async () => {
    await describeRegionsAs('uri');
    assert.equal(uriServer.hits.get('/credentials'), 1);
    assert.equal(server.requests[0].accessKeyId, STS_KEY.accessKeyId);
    assert.equal(server.requests[0].headers['x-acs-security-token'], STS_KEY.securityToken);
    assert.equal(server.requests[0].status, 200);
  });

  it('hides the body of a failed CredentialsURI answer', async () => {
    const error = await failureOf('uri-broken');
    assert.equal(error.problem.kind, 'sourceFailed');
    assert.match(error.message, /profile "uri-broken" \(mode CredentialsURI\)/);
    assert.match(error.message, /500/);
    assert.match(error.message, /response body omitted/);
  });

  it('runs the command of an External profile', async () => {
    const credentials = credentialsFor('external');
    const found = await credentials.resolve();
    assert.equal(found.accessKeyId, FIXTURE_KEY.accessKeyId);
    assert.equal(found.securityToken, undefined);
    assert.equal(found.providerName, 'cli_profile/external');
    const { gateway } = gatewayFor(server, credentials);
    await gateway.listRegions('en-US');
    assert.equal(server.requests[0].status, 200);
  });

  it('reads an STS token from an External command', async () => {
    await describeRegionsAs('external-sts');
    assert.equal(server.requests[0].headers['x-acs-security-token'], STS_KEY.securityToken);
    assert.equal(server.requests[0].status, 200);
  });

  it('rejects an External output in another mode', async () => {
    const error = await failureOf('external-bad-mode');
    assert.match(error.message, /mode RamRoleArn, but only AK and StsToken are supported/);
  });

  it('keeps the stderr of a failed command out of the message', async () => {
    const error = await failureOf('external-failing');
    assert.match(error.message, /exited with code 3/);
    assert.match(error.message, /profile "external-failing" \(mode External\)/);
  });

  it('names a command that does not exist', async () => {
    const error = await failureOf('external-missing-program');
    assert.match(error.message, /\/nonexistent\/fixture-credential-helper was not found/);
  });

  it('explains EcsRamRole with the metadata service off', async () => {
    const before = connectionTargets.length;
    const error = await failureOf('ecs');
    assert.deepEqual(error.problem, { kind: 'metadataDisabled', profile: 'ecs' });
    assert.match(error.message, /ALIBABA_CLOUD_ECS_METADATA_DISABLED/);
    assert.deepEqual(connectionTargets.slice(before), [], 'no connection was made');
  });

  for (const [profile, mode] of [
    ['sso', 'CloudSSO'],
    ['oauth', 'OAuth'],
    ['rsa', 'RsaKeyPair'],
    ['bearer', 'BearerToken'],
    ['unknown-mode', 'Kerberos'],
  ]) {
    it(`explains the unsupported mode ${mode}`, async () => {
      const before = connectionTargets.length;
      const error = await failureOf(profile);
      assert.deepEqual(error.problem, { kind: 'unsupportedMode', profile, mode });
      assert.ok(
        error.message.includes(`Profile "${profile}" uses the mode ${mode}`),
        error.message,
      );
      assert.match(error.message, /Switch to another profile/);
      assert.deepEqual(connectionTargets.slice(before), [], 'no connection was made');
    });
  }

  it('assumes a role with the key of a RamRoleArn profile', async () => {
    // The STS endpoint is a closed loopback port, so the AssumeRole request fails locally.
    const before = connectionTargets.length;
    const error = await failureOf('role');
    assert.equal(error.problem.kind, 'sourceFailed');
    assert.match(error.message, /profile "role" \(mode RamRoleArn\)/);
    assert.ok(connectionTargets.slice(before).every((host) => host === '127.0.0.1'));
    assert.ok(connectionTargets.length > before, 'the STS endpoint was asked');
  });

  it('rejects a role duration below 900 seconds', async () => {
    const error = await failureOf('role-short-duration');
    assert.equal(error.problem.kind, 'invalidProfile');
    assert.match(error.message, /900/);
  });

  it('chains a ChainableRamRoleArn profile to its source', async () => {
    const before = connectionTargets.length;
    const error = await failureOf('chained');
    assert.equal(error.problem.kind, 'sourceFailed');
    assert.match(error.message, /profile "chained" \(mode ChainableRamRoleArn\)/);
    assert.ok(connectionTargets.slice(before).every((host) => host === '127.0.0.1'));
  });

  it('keeps the request URL query out of the message', async () => {
    const error = await failureOf('chained-from-sts');
    assert.ok(!error.message.includes('Signature='), error.message);
    assert.ok(!error.message.includes('SecurityToken'), error.message);
    assert.ok(!error.message.includes(STS_KEY.accessKeyId), error.message);
    assert.match(error.message, /ECONNREFUSED 127\.0\.0\.1:1 \(POST https:\/\/127\.0\.0\.1:1\/\)/);
  });

  it('reports a source_profile that does not exist', async () => {
    const error = await failureOf('chained-to-missing');
    assert.equal(error.problem.kind, 'invalidProfile');
    assert.match(error.message, /source_profile "no-such-profile" does not exist/);
  });

  it('reports a loop of source profiles', async () => {
    const error = await failureOf('loop-a');
    assert.deepEqual(error.problem, {
      kind: 'sourceProfileLoop',
      profile: 'loop-a',
      chain: ['loop-a', 'loop-b', 'loop-a'],
    });
  });

  it('exchanges the token file of an OIDC profile', async () => {
    const before = connectionTargets.length;
    const error = await failureOf('oidc');
    assert.match(error.message, /profile "oidc" \(mode OIDC\)/);
    assert.ok(connectionTargets.slice(before).every((host) => host === '127.0.0.1'));
    assert.ok(!error.message.includes('fixture-oidc-token-not-real'));
  });
});
