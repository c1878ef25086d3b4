import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NoCredentialsError } from '../../src/credentials/credentialSource';
import { CredentialError } from '../../src/credentials/problems';
import {
  ENVIRONMENT_PROFILE,
  SelectedCredentials,
  selectSource,
  type StoredProfileSource,
} from '../../src/credentials/sources';
import { startEcsServer } from '../server/ecsServer';
import { writeProfileFile } from './profileFixtures';
import { connectionTargets, FIXTURE_HOME, FIXTURE_KEY, FIXTURE_PATH, gatewayFor } from './support';

const ENV_KEY = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tFromEnvironment01',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'environment-secret-not-real',
};

function emptyHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-empty-home-'));
}

/** Runs the body with HOME set as given and the credential variables removed, then restores them. */
async function withHome(home: string, body: () => Promise<void>) {
  const names = Object.keys(process.env).filter(
    (name) => /^(ALIBABA_CLOUD_|ALICLOUD_|ALIBABACLOUD_)/.test(name) && !/METADATA/.test(name),
  );
  const saved = new Map<string, string | undefined>();
  for (const name of [...names, 'HOME']) {
    saved.set(name, process.env[name]);
    delete process.env[name];
  }
  process.env.HOME = home;
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

describe('credential source selection', () => {
  let configPath: string;

  before(() => {
    assert.equal(
      process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED,
      'true',
      'the metadata service must be off',
    );
    configPath = writeProfileFile();
  });

  it('uses the current profile of the CLI file', () => {
    const selection = selectSource({ env: {}, configPath });
    assert.equal(selection.kind, 'cliProfile');
    assert.equal(selection.profileName, 'default');
    assert.equal(selection.origin, 'current');
    assert.equal(selection.mode, 'AK');
    assert.equal(selection.regionId, 'cn-hangzhou');
    assert.equal(selection.key, 'cli:default');
    assert.equal(selection.problem, undefined);
  });

  it('prefers the setting over ALIBABA_CLOUD_PROFILE', () => {
    const selection = selectSource({
      chosenProfile: 'sts',
      env: { ALIBABA_CLOUD_PROFILE: 'inactive', ...ENV_KEY },
      configPath,
    });
    assert.equal(selection.profileName, 'sts');
    assert.equal(selection.origin, 'setting');
    assert.equal(selection.regionId, 'cn-shanghai');
  });

  it('prefers ALIBABA_CLOUD_PROFILE over environment keys', () => {
    const selection = selectSource({
      env: { ALIBABA_CLOUD_PROFILE: 'sts', ...ENV_KEY },
      configPath,
    });
    assert.equal(selection.kind, 'cliProfile');
    assert.equal(selection.profileName, 'sts');
    assert.equal(selection.origin, 'variable');
  });

  it('prefers environment keys over the current profile', () => {
    const selection = selectSource({ env: { ...ENV_KEY }, configPath });
    assert.equal(selection.kind, 'environment');
    assert.equal(selection.key, 'environment');
    assert.equal(selection.origin, 'automatic');
  });

  it('selects the environment by the setting', () => {
    const selection = selectSource({
      chosenProfile: ENVIRONMENT_PROFILE,
      env: { ALIBABA_CLOUD_PROFILE: 'sts', ...ENV_KEY },
      configPath,
    });
    assert.equal(selection.kind, 'environment');
    assert.equal(selection.origin, 'setting');
  });

  it('reports an unknown profile in the setting', async () => {
    const selection = selectSource({ chosenProfile: 'nosuch', env: {}, configPath });
    assert.deepEqual(selection.problem, {
      kind: 'profileNotFound',
      profile: 'nosuch',
      path: configPath,
      origin: 'setting',
    });
    const error = await new SelectedCredentials(selection).resolve().then(
      () => assert.fail('resolved'),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof CredentialError);
    assert.match(
      error.message,
      /Profile "nosuch", chosen in the setting alibabaCloud\.ecs\.profile/,
    );
  });

  it('reports an unknown ALIBABA_CLOUD_PROFILE', () => {
    const selection = selectSource({ env: { ALIBABA_CLOUD_PROFILE: 'nosuch' }, configPath });
    assert.equal(selection.problem?.kind, 'profileNotFound');
    assert.equal(selection.origin, 'variable');
  });

  it('reports a current profile missing from the list', () => {
    const file = writeProfileFile({}, JSON.stringify({ current: 'gone', profiles: [] }));
    const selection = selectSource({ env: {}, configPath: file });
    assert.deepEqual(selection.problem, {
      kind: 'profileNotFound',
      profile: 'gone',
      path: file,
      origin: 'current',
    });
  });

  it('reads the file that ALIBABA_CLOUD_CONFIG_FILE names', () => {
    const selection = selectSource({
      env: { ALIBABA_CLOUD_CONFIG_FILE: configPath, ALIBABA_CLOUD_PROFILE: 'sts' },
    });
    assert.equal(selection.configPath, configPath);
    assert.equal(selection.profileName, 'sts');
  });

  it('selects a profile added in VS Code', async () => {
    const stored: StoredProfileSource = {
      list: () => [{ name: 'added', accessKeyId: FIXTURE_KEY.accessKeyId, regionId: 'cn-beijing' }],
      readSecret: async (name) => (name === 'added' ? FIXTURE_KEY.accessKeySecret : undefined),
    };
    const selection = selectSource({
      chosenProfile: 'added',
      env: {},
      configPath,
      stored: stored.list(),
    });
    assert.equal(selection.kind, 'stored');
    assert.equal(selection.key, 'vscode:added');
    assert.equal(selection.regionId, 'cn-beijing');
    const found = await new SelectedCredentials(selection, { stored }).resolve();
    assert.equal(found.accessKeyId, FIXTURE_KEY.accessKeyId);
    assert.equal(found.accessKeySecret, FIXTURE_KEY.accessKeySecret);
    assert.equal(found.providerName, 'vscode_profile/static_ak');
  });

  it('reports a stored profile whose secret is gone', async () => {
    const stored: StoredProfileSource = {
      list: () => [{ name: 'added', accessKeyId: FIXTURE_KEY.accessKeyId, regionId: 'cn-beijing' }],
      readSecret: async () => undefined,
    };
    const selection = selectSource({
      chosenProfile: 'added',
      env: {},
      configPath,
      stored: stored.list(),
    });
    await assert.rejects(
      new SelectedCredentials(selection, { stored }).resolve(),
      (error: unknown) =>
        error instanceof CredentialError && error.problem.kind === 'storedSecretMissing',
    );
  });

  it('never writes the CLI file', async () => {
    const before = fs.readFileSync(configPath, 'utf8');
    const beforeTime = fs.statSync(configPath).mtimeMs;
    for (const name of ['default', 'sts', 'external', 'sso', 'chained']) {
      const selection = selectSource({ chosenProfile: name, env: {}, configPath });
      await new SelectedCredentials(selection).resolve().catch(() => undefined);
    }
    assert.equal(fs.readFileSync(configPath, 'utf8'), before);
    assert.equal(fs.statSync(configPath).mtimeMs, beforeTime);
  });
});

describe('environment credentials', () => {
  it('returns keys and an STS token from the variables', async () => {
    const env = { ...ENV_KEY, ALIBABA_CLOUD_SECURITY_TOKEN: 'environment-token-not-real' };
    const selection = selectSource({ env, configPath: path.join(emptyHome(), 'none.json') });
    const found = await new SelectedCredentials(selection, { env }).resolve();
    assert.equal(found.accessKeyId, ENV_KEY.ALIBABA_CLOUD_ACCESS_KEY_ID);
    assert.equal(found.securityToken, 'environment-token-not-real');
    assert.equal(found.providerName, 'env');
  });

  it('names the supported variables when only old ones are set', async () => {
    await withHome(emptyHome(), async () => {
      const env = { ALICLOUD_ACCESS_KEY: 'LTAI5tOldName0001', ALICLOUD_SECRET_KEY: 'old-secret' };
      const selection = selectSource({ env });
      assert.equal(selection.kind, 'defaultChain');
      const error = await new SelectedCredentials(selection, { env }).resolve().then(
        () => assert.fail('resolved'),
        (thrown: unknown) => thrown,
      );
      assert.ok(error instanceof CredentialError, String(error));
      assert.deepEqual(error.problem, {
        kind: 'legacyVariables',
        names: ['ALICLOUD_ACCESS_KEY', 'ALICLOUD_SECRET_KEY'],
      });
      assert.match(error.message, /ALICLOUD_ACCESS_KEY, ALICLOUD_SECRET_KEY/);
      assert.match(error.message, /ALIBABA_CLOUD_ACCESS_KEY_ID/);
      assert.match(error.message, /ALIBABA_CLOUD_ACCESS_KEY_SECRET/);
      assert.match(error.message, /ALIBABA_CLOUD_SECURITY_TOKEN/);
      assert.ok(!error.message.includes('old-secret'));
    });
  });

  it('reports an ID without a secret', async () => {
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tFromEnvironment01' };
    const selection = selectSource({ chosenProfile: ENVIRONMENT_PROFILE, env });
    assert.deepEqual(selection.problem, {
      kind: 'incompleteEnvironment',
      present: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
      missing: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    });
  });

  it('reports no credentials without asking the metadata service', async () => {
    await withHome(emptyHome(), async () => {
      const before = connectionTargets.length;
      const selection = selectSource();
      await assert.rejects(new SelectedCredentials(selection).resolve(), NoCredentialsError);
      assert.deepEqual(connectionTargets.slice(before), []);
    });
  });

  it('reads the fixture HOME when nothing else is set', async () => {
    await withHome(FIXTURE_HOME, async () => {
      const found = await new SelectedCredentials(selectSource()).resolve();
      assert.equal(found.accessKeyId, FIXTURE_KEY.accessKeyId);
      assert.equal(found.providerName, 'cli_profile/static_ak');
    });
  });
});

describe('SelectedCredentials', () => {
  it('signs real requests with the profile credentials', async () => {
    const server = await startEcsServer({ fixture: FIXTURE_PATH });
    try {
      const selection = selectSource({ env: {}, configPath: writeProfileFile() });
      const { gateway } = gatewayFor(server, new SelectedCredentials(selection));
      const regions = await gateway.listRegions('en-US');
      assert.ok(regions.some((region) => region.regionId === 'cn-hangzhou'));
      assert.equal(server.requests[0]?.accessKeyId, FIXTURE_KEY.accessKeyId);
    } finally {
      await server.close();
    }
  });

  it('shares one lookup between concurrent calls', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-external-count-'));
    const countFile = path.join(dir, 'runs.txt');
    const text = JSON.stringify({
      current: 'counted',
      profiles: [
        {
          name: 'counted',
          mode: 'External',
          process_command: `"{{NODE}}" "{{HELPER}}" ak "${countFile}"`,
        },
      ],
    });
    const selection = selectSource({ env: {}, configPath: writeProfileFile({}, text) });
    const credentials = new SelectedCredentials(selection);
    const results = await Promise.all(Array.from({ length: 8 }, () => credentials.resolve()));
    assert.equal(results.length, 8);
    assert.ok(results.every((found) => found.accessKeyId === FIXTURE_KEY.accessKeyId));
    assert.equal(fs.readFileSync(countFile, 'utf8').split('\n').filter(Boolean).length, 1);
  });

  it('builds new providers after a failure', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-external-retry-'));
    const countFile = path.join(dir, 'runs.txt');
    const profile = (scenario: string) =>
      JSON.stringify({
        current: 'flaky',
        profiles: [
          {
            name: 'flaky',
            mode: 'External',
            process_command: `"{{NODE}}" "{{HELPER}}" ${scenario} "${countFile}"`,
          },
        ],
      });
    const file = writeProfileFile({}, profile('fail'));
    const failing = new SelectedCredentials(selectSource({ env: {}, configPath: file }));
    await assert.rejects(failing.resolve(), CredentialError);
    await assert.rejects(failing.resolve(), CredentialError);
    // Each failed call ran the command again instead of keeping the failed provider.
    assert.equal(fs.readFileSync(countFile, 'utf8').split('\n').filter(Boolean).length, 2);
  });

  it('passes found credentials to onResolved', async () => {
    const seen: string[] = [];
    const selection = selectSource({
      chosenProfile: 'sts',
      env: {},
      configPath: writeProfileFile(),
    });
    await new SelectedCredentials(selection, {
      onResolved: (found) => seen.push(found.securityToken ?? ''),
    }).resolve();
    assert.deepEqual(seen, ['fixtureStsToken-0001-not-a-real-token']);
  });
});
