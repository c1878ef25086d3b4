// Role-based profiles against a local STS endpoint: AssumeRole for RamRoleArn and
// ChainableRamRoleArn, AssumeRoleWithOIDC for OIDC, then ECS requests with the issued token.
import * as assert from 'node:assert/strict';
import https from 'node:https';
import { CredentialError } from '../../src/credentials/problems';
import { SelectedCredentials, selectSource } from '../../src/credentials/sources';
import { startEcsServer, type EcsServer } from '../server/ecsServer';
import { startStsServer, type StsServer } from '../server/stsServer';
import { readFixtureConfig, STS_KEY, writeProfileFile } from './profileFixtures';
import { FIXTURE_KEY, FIXTURE_PATH, gatewayFor } from './support';

const DENIED_ROLE = 'acs:ram::1234567890123456:role/denied-role';

type HttpsRequest = typeof https.request;

/**
 * Makes this process trust the STS server's self-signed certificate. The library's HTTP client
 * (httpx) has its own agent and passes `ca: ''`, so the certificate is added to the options of
 * requests to that server only.
 */
function trustCertificate(sts: StsServer): () => void {
  const original = https.request;
  const [host, port] = sts.host.split(':');
  https.request = function requestWithCa(this: unknown, ...args: unknown[]) {
    const [options] = args as [Record<string, unknown>];
    if (options && options.host === host && String(options.port) === port) {
      args[0] = { ...options, ca: sts.certificate };
    }
    return (original as (...inner: unknown[]) => ReturnType<HttpsRequest>).apply(https, args);
  } as HttpsRequest;
  return () => {
    https.request = original;
  };
}

describe('role profiles against a local STS endpoint', () => {
  let ecs: EcsServer;
  let sts: StsServer;
  let untrust: () => void;

  async function startSts(expiresInSeconds?: number) {
    sts = await startStsServer({
      accounts: [FIXTURE_KEY, STS_KEY],
      issued: STS_KEY,
      oidcToken: 'fixture-oidc-token-not-real',
      expiresInSeconds,
      deniedRoles: [DENIED_ROLE],
    });
    untrust = trustCertificate(sts);
  }

  /** A clock for the reuse window of SelectedCredentials; the library keeps the real time. */
  let clock = 0;

  function credentialsFor(profile: string, text?: string) {
    const configPath = writeProfileFile({ stsHost: sts.host }, text);
    return new SelectedCredentials(selectSource({ chosenProfile: profile, env: {}, configPath }), {
      env: {},
      now: () => clock,
    });
  }

  before(async () => {
    ecs = await startEcsServer({ fixture: FIXTURE_PATH });
  });

  after(async () => {
    await ecs.close();
  });

  beforeEach(async () => {
    ecs.resetRequests();
    await startSts();
  });

  afterEach(async () => {
    untrust();
    await sts.close();
  });

  it('assumes the role of a RamRoleArn profile', async () => {
    const credentials = credentialsFor('role');
    const { gateway } = gatewayFor(ecs, credentials);
    await gateway.listRegions('en-US');

    assert.equal(sts.count('AssumeRole'), 1);
    const request = sts.requests[0];
    assert.equal(request.status, 200, request.code);
    assert.equal(request.params.AccessKeyId, FIXTURE_KEY.accessKeyId);
    assert.equal(request.params.RoleArn, 'acs:ram::1234567890123456:role/fixture-role');
    assert.equal(request.params.RoleSessionName, 'fixture-session');
    assert.equal(request.params.DurationSeconds, '900');
    assert.equal(ecs.requests[0].accessKeyId, STS_KEY.accessKeyId);
    assert.equal(ecs.requests[0].headers['x-acs-security-token'], STS_KEY.securityToken);
    assert.equal(ecs.requests[0].status, 200);
    const found = await credentials.resolve();
    assert.equal(found.providerName, 'cli_profile/ram_role_arn/static_ak');
  });

  it('chains through the source profile', async () => {
    const { gateway } = gatewayFor(ecs, credentialsFor('chained'));
    await gateway.listRegions('en-US');
    assert.equal(sts.requests[0].status, 200, sts.requests[0].code);
    assert.equal(sts.requests[0].params.AccessKeyId, FIXTURE_KEY.accessKeyId);
    assert.equal(sts.requests[0].params.RoleSessionName, 'fixture-chained');
    assert.equal(ecs.requests[0].status, 200);
  });

  it('signs AssumeRole with an STS source and its token', async () => {
    await credentialsFor('chained-from-sts').resolve();
    assert.equal(sts.requests[0].status, 200, sts.requests[0].code);
    assert.equal(sts.requests[0].params.AccessKeyId, STS_KEY.accessKeyId);
    assert.equal(sts.requests[0].params.SecurityToken, STS_KEY.securityToken);
  });

  it('shares one AssumeRole among concurrent requests', async () => {
    const { gateway } = gatewayFor(ecs, credentialsFor('role'));
    await Promise.all(Array.from({ length: 10 }, () => gateway.listRegions('en-US')));
    assert.equal(ecs.count('DescribeRegions'), 10);
    assert.equal(sts.count('AssumeRole'), 1);
  });

  it('reuses a 900-second token for a minute', async () => {
    // The library alone would send AssumeRole on every call, as 900 s is inside its window.
    const credentials = credentialsFor('role');
    await credentials.resolve();
    clock += 59_000;
    await credentials.resolve();
    assert.equal(sts.count('AssumeRole'), 1);
    clock += 2_000;
    await credentials.resolve();
    assert.equal(sts.count('AssumeRole'), 2);
  });

  it('reuses a role token far from expiry', async () => {
    const credentials = credentialsFor('role-default-duration');
    await credentials.resolve();
    clock += 61_000;
    await credentials.resolve();
    assert.equal(sts.requests[0].params.DurationSeconds, '3600');
    assert.equal(sts.count('AssumeRole'), 1);
  });

  it('refreshes a role token before it expires', async () => {
    untrust();
    await sts.close();
    // Ten minutes left is inside the library's 15-minute refresh window.
    await startSts(600);
    const credentials = credentialsFor('role-default-duration');
    await credentials.resolve();
    clock += 61_000;
    await credentials.resolve();
    assert.equal(sts.count('AssumeRole'), 2);
  });

  it('exchanges the token file of an OIDC profile', async () => {
    const { gateway } = gatewayFor(ecs, credentialsFor('oidc'));
    await gateway.listRegions('en-US');
    assert.equal(sts.count('AssumeRoleWithOIDC'), 1);
    const request = sts.requests[0];
    assert.equal(request.status, 200, request.code);
    assert.equal(request.params.RoleArn, 'acs:ram::1234567890123456:role/fixture-oidc-role');
    assert.equal(request.params.RoleSessionName, 'fixture-oidc');
    assert.equal(ecs.requests[0].status, 200);
  });

  it('explains a refused AssumeRole without the answer', async () => {
    const text = readFixtureConfig().replace(
      'acs:ram::1234567890123456:role/fixture-role"',
      `${DENIED_ROLE}"`,
    );
    const error = await credentialsFor('role', text)
      .resolve()
      .then(
        () => assert.fail('resolved'),
        (thrown: unknown) => thrown,
      );
    assert.ok(error instanceof CredentialError, String(error));
    assert.equal(sts.requests[0].code, 'NoPermission');
    assert.match(error.message, /profile "role" \(mode RamRoleArn\)/);
    assert.match(error.message, /response body omitted/);
    assert.ok(!error.message.includes(STS_KEY.accessKeySecret), error.message);
    assert.ok(!error.message.includes(FIXTURE_KEY.accessKeySecret), error.message);
  });
});
