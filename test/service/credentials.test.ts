import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DefaultChainCredentials,
  NoCredentialsError,
} from '../../src/credentials/credentialSource';
import { gatewayFor, FIXTURE_HOME, FIXTURE_KEY, FIXTURE_PATH } from './support';
import { startEcsServer } from '../server/ecsServer';

const CREDENTIAL_VARIABLES = [
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'ALIBABA_CLOUD_PROFILE',
  'ALIBABA_CLOUD_CREDENTIALS_FILE',
  'ALIBABA_CLOUD_CREDENTIALS_URI',
  'ALIBABA_CLOUD_ROLE_ARN',
  'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
  'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  'ALIBABA_CLOUD_CLI_PROFILE_DISABLED',
];

/** Runs the body with HOME and the credential variables set as given, then restores them. */
async function withEnvironment(
  values: Record<string, string | undefined>,
  body: () => Promise<void>,
) {
  const saved = new Map<string, string | undefined>();
  for (const name of [...CREDENTIAL_VARIABLES, 'HOME']) {
    saved.set(name, process.env[name]);
    delete process.env[name];
  }
  Object.assign(process.env, values);
  try {
    await body();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  }
}

describe('DefaultChainCredentials', () => {
  before(() => {
    assert.equal(
      process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED,
      'true',
      'the metadata service must be off',
    );
  });

  it('reads the current profile of the CLI config', async () => {
    await withEnvironment({ HOME: FIXTURE_HOME }, async () => {
      const found = await new DefaultChainCredentials().resolve();
      assert.equal(found.accessKeyId, FIXTURE_KEY.accessKeyId);
      assert.match(found.providerName, /cli_profile/);
    });
  });

  it('prefers environment variables over the profile', async () => {
    await withEnvironment(
      {
        HOME: FIXTURE_HOME,
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tFromEnvironment01',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'environment-secret-not-real',
      },
      async () => {
        const found = await new DefaultChainCredentials().resolve();
        assert.equal(found.accessKeyId, 'LTAI5tFromEnvironment01');
        assert.match(found.providerName, /env/);
      },
    );
  });

  it('reports missing credentials without asking the metadata service', async () => {
    const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-empty-home-'));
    await withEnvironment({ HOME: emptyHome }, async () => {
      await assert.rejects(new DefaultChainCredentials().resolve(), NoCredentialsError);
    });
  });

  it('signs real requests with the profile credentials', async () => {
    const server = await startEcsServer({ fixture: FIXTURE_PATH });
    try {
      await withEnvironment({ HOME: FIXTURE_HOME }, async () => {
        const { gateway } = gatewayFor(server, new DefaultChainCredentials());
        const regions = await gateway.listRegions('en-US');
        assert.ok(regions.some((region) => region.regionId === 'cn-hangzhou'));
        assert.equal(server.requests[0]?.accessKeyId, FIXTURE_KEY.accessKeyId);
      });
    } finally {
      await server.close();
    }
  });

  it('finds credentials after a failed lookup', async () => {
    const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-empty-home-'));
    const credentials = new DefaultChainCredentials();
    await withEnvironment({ HOME: emptyHome }, async () => {
      await assert.rejects(credentials.resolve(), NoCredentialsError);
    });
    await withEnvironment({ HOME: FIXTURE_HOME }, async () => {
      const found = await credentials.resolve();
      assert.equal(found.accessKeyId, FIXTURE_KEY.accessKeyId);
    });
  });
});
