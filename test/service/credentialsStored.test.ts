import * as assert from 'node:assert/strict';
import { hasDefects, inspectKey } from '../../src/credentials/keyHygiene';
import {
  StoredProfiles,
  type KeyValueState,
  type SecretStore,
} from '../../src/credentials/storedProfiles';

/** In-memory stand-ins for the extension's global state and secret storage. */
function memoryStores() {
  const state = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  const stateStore: KeyValueState = {
    get: <T>(key: string) => state.get(key) as T | undefined,
    update: async (key, value) => {
      state.set(key, value);
    },
  };
  const secretStore: SecretStore = {
    get: async (key) => secrets.get(key),
    store: async (key, value) => {
      secrets.set(key, value);
    },
    delete: async (key) => {
      secrets.delete(key);
    },
  };
  return { state, secrets, profiles: new StoredProfiles(stateStore, secretStore) };
}

describe('AccessKey hygiene', () => {
  it('accepts a clean key', () => {
    const inspection = inspectKey('LTAI5tFixtureAccessKey01');
    assert.equal(hasDefects(inspection), false);
    assert.equal(inspection.cleaned, 'LTAI5tFixtureAccessKey01');
  });

  it('counts spaces around the key', () => {
    const inspection = inspectKey('  LTAI5tFixtureAccessKey01\t\n');
    assert.equal(inspection.leading, 2);
    assert.equal(inspection.trailing, 2);
    assert.deepEqual(inspection.inside, []);
    assert.equal(inspection.cleaned, 'LTAI5tFixtureAccessKey01');
  });

  it('finds invisible characters inside and around', () => {
    const inspection = inspectKey('\ufeffLTAI5t\u200bFixture\u00a0AccessKey01\u200d');
    assert.equal(inspection.leading, 1);
    assert.equal(inspection.trailing, 1);
    assert.deepEqual(inspection.inside, ['U+200B', 'U+00A0']);
    assert.equal(inspection.cleaned, 'LTAI5tFixtureAccessKey01');
    assert.equal(hasDefects(inspection), true);
  });

  it('reports a key of only blanks as empty', () => {
    const inspection = inspectKey(' \u200b ');
    assert.equal(inspection.cleaned, '');
    assert.equal(inspection.leading, 3);
  });
});

describe('StoredProfiles', () => {
  it('keeps the secret out of the profile list', async () => {
    const { state, secrets, profiles } = memoryStores();
    await profiles.add(
      { name: 'ops', accessKeyId: 'LTAI5tFixtureAccessKey01', regionId: 'cn-beijing' },
      'fixtureSecret-0001-not-a-real-key',
    );
    assert.deepEqual(profiles.list(), [
      { name: 'ops', accessKeyId: 'LTAI5tFixtureAccessKey01', regionId: 'cn-beijing' },
    ]);
    assert.equal(await profiles.readSecret('ops'), 'fixtureSecret-0001-not-a-real-key');
    assert.ok(!JSON.stringify([...state]).includes('fixtureSecret'), 'no secret in the state');
    assert.equal(secrets.size, 1);
  });

  it('replaces a profile of the same name', async () => {
    const { profiles } = memoryStores();
    await profiles.add(
      { name: 'ops', accessKeyId: 'LTAI5tFirst000001', regionId: 'cn-beijing' },
      'a-secret',
    );
    await profiles.add(
      { name: 'ops', accessKeyId: 'LTAI5tSecond00001', regionId: 'cn-shanghai' },
      'b-secret',
    );
    assert.equal(profiles.list().length, 1);
    assert.equal(profiles.list()[0].accessKeyId, 'LTAI5tSecond00001');
    assert.equal(await profiles.readSecret('ops'), 'b-secret');
  });

  it('removes the profile and its secret', async () => {
    const { secrets, profiles } = memoryStores();
    await profiles.add(
      { name: 'ops', accessKeyId: 'LTAI5tFirst000001', regionId: 'cn-beijing' },
      'a-secret',
    );
    await profiles.remove('ops');
    assert.deepEqual(profiles.list(), []);
    assert.equal(secrets.size, 0);
    assert.equal(await profiles.readSecret('ops'), undefined);
  });

  it('ignores malformed entries in the state', () => {
    const { state, profiles } = memoryStores();
    state.set('alibabaCloud.ecs.addedProfiles', [
      { name: 'ok', accessKeyId: 'LTAI5tFirst000001', regionId: 'cn-beijing' },
      { name: 'no-key' },
      'text',
    ]);
    assert.deepEqual(
      profiles.list().map((profile) => profile.name),
      ['ok'],
    );
  });
});
