import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCliConfig, parseCliConfig } from '../../src/credentials/cliConfig';
import { watchConfigFile } from '../../src/credentials/configWatcher';
import { CredentialError } from '../../src/credentials/problems';
import { SelectedCredentials, selectSource } from '../../src/credentials/sources';
import { readFixtureConfig, writeProfileFile } from './profileFixtures';
import { FIXTURE_KEY } from './support';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-cli-config-'));
}

describe('CLI profile file', () => {
  it('reads every profile of the fixture', () => {
    const result = loadCliConfig(writeProfileFile());
    assert.equal(result.kind, 'loaded');
    if (result.kind === 'loaded') {
      assert.equal(result.config.current, 'default');
      assert.ok(result.config.profiles.length > 20);
      assert.equal(result.config.profiles[0].access_key_id, FIXTURE_KEY.accessKeyId);
    }
  });

  it('reports a missing file as missing', () => {
    const file = path.join(tempDir(), 'none', 'config.json');
    assert.deepEqual(loadCliConfig(file), { kind: 'missing', path: file });
  });

  it('locates a syntax error without quoting the file', async () => {
    // Drop the comma after the first secret, as a hand edit might.
    const broken = readFixtureConfig().replace(
      '"access_key_secret": "fixtureSecret-0001-not-a-real-key",',
      '"access_key_secret": "fixtureSecret-0001-not-a-real-key"',
    );
    const file = writeProfileFile({}, broken);
    const result = loadCliConfig(file);
    assert.deepEqual(result, {
      kind: 'invalid',
      path: file,
      defect: { reason: 'syntax', line: 9, column: 7 },
    });
    const selection = selectSource({ env: {}, configPath: file });
    const error = await new SelectedCredentials(selection).resolve().then(
      () => assert.fail('resolved'),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof CredentialError);
    assert.match(error.message, /is not valid JSON \(line 9, column 7\)/);
    assert.ok(!error.message.includes('fixtureSecret'), error.message);
  });

  it('rejects a file without a profile list', () => {
    assert.deepEqual(parseCliConfig('{"current":"x"}', 'f'), {
      kind: 'invalid',
      path: 'f',
      defect: { reason: 'noProfiles' },
    });
    assert.deepEqual(parseCliConfig('[]', 'f'), {
      kind: 'invalid',
      path: 'f',
      defect: { reason: 'notObject' },
    });
  });

  it('skips entries without a name', () => {
    const result = parseCliConfig(
      '\ufeff{"current":"a","profiles":[{"mode":"AK"},7,{"name":"a","mode":"AK"}]}',
      'f',
    );
    assert.equal(result.kind, 'loaded');
    if (result.kind === 'loaded') {
      assert.deepEqual(
        result.config.profiles.map((profile) => profile.name),
        ['a'],
      );
    }
  });

  it('notices a change to the file', async () => {
    const file = writeProfileFile();
    let changes = 0;
    const watch = watchConfigFile(file, () => changes++, 20);
    try {
      // Let the first poll record the file before it changes.
      await new Promise((resolve) => setTimeout(resolve, 100));
      fs.writeFileSync(
        file,
        readFixtureConfig().replace('"current": "default"', '"current": "sts"'),
      );
      const deadline = Date.now() + 5000;
      while (changes === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(changes > 0, 'the change was noticed');
      assert.equal(selectSource({ env: {}, configPath: file }).profileName, 'sts');
    } finally {
      watch.dispose();
    }
  });

  it('notices a file created later', async () => {
    const file = path.join(tempDir(), 'config.json');
    let changes = 0;
    const watch = watchConfigFile(file, () => changes++, 20);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      fs.writeFileSync(file, readFixtureConfig());
      const deadline = Date.now() + 5000;
      while (changes === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(changes > 0, 'the new file was noticed');
    } finally {
      watch.dispose();
    }
  });
});
