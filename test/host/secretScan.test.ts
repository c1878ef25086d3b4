// Scans what the whole host suite wrote to the extension's output channel, and every notification
// it showed, for the fixture secrets, tokens and unmasked AccessKey IDs. The scan needs the host
// at log level trace (ECS_TEST_LOG_LEVEL=trace), because below it the channel writes no trace or
// debug lines; at other levels the hook only prints that it did not scan.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, waitFor } from './support';

const SECRETS = [
  'fixtureSecret-0001-not-a-real-key',
  'fixtureStsSecret-0001-not-a-real-key',
  'fixtureStsToken-0001-not-a-real-token',
  'fixtureSecret-0002-not-a-real-key',
  'fixtureStsSecret-0002-not-a-real-key',
  'fixtureStsToken-0002-expired',
  'fixture-oidc-token-not-real',
  'fixture-private-key-not-real',
  'fixtureBearer-0001-not-a-real-token',
  'old-variable-secret',
  'environment-secret-not-real',
];

/** AccessKey IDs must appear masked (first 4 and last 2 characters) wherever they appear. */
const ACCESS_KEY_IDS = [
  'LTAI5tFixtureAccessKey01',
  'STS.FixtureStsAccessKey01',
  'LTAI5tFixtureInactive01',
  'STS.FixtureStsExpired01',
  'LTAI5tOldVariable01',
];

type Show = (message: string, ...items: unknown[]) => Thenable<unknown>;
const notifications: string[] = [];

// Installed when mocha loads this file, before any test runs, so every notification is recorded.
// The test files share the `vscode` API object with the bundled extension.
const window = vscode.window as unknown as Record<string, Show>;
for (const name of ['showErrorMessage', 'showWarningMessage', 'showInformationMessage']) {
  const original = window[name];
  window[name] = (message: string, ...items: unknown[]) => {
    notifications.push(message);
    return original(message, ...items);
  };
}

function findLeaks(text: string): string[] {
  const leaks = [...SECRETS, ...ACCESS_KEY_IDS].filter((value) => text.includes(value));
  for (const pattern of [
    /Signature=[0-9a-f]{16,}/i,
    /Signature=[A-Za-z0-9%+/]{16,}/,
    /ACS3-HMAC-SHA256 Credential=/,
    /x-acs-security-token["']?\s*[:=]\s*["']?[^\s"'[]/i,
  ]) {
    const match = pattern.exec(text);
    if (match) {
      leaks.push(match[0]);
    }
  }
  return leaks;
}

after('no secret in the log or the notifications', async function () {
  if (vscode.env.logLevel !== vscode.LogLevel.Trace) {
    console.log(
      `Secret scan skipped: the host log level is ${vscode.LogLevel[vscode.env.logLevel]}, not Trace. Run with ECS_TEST_LOG_LEVEL=trace.`,
    );
    return;
  }
  this.timeout(30_000);
  const api = await activateExtension();
  // A last line to wait for, since the channel's file is written with a delay.
  await vscode.commands.executeCommand('alibabaCloud.ecs.showCredentials');
  const file = path.join(api.logUri.fsPath, 'Alibaba Cloud ECS.log');
  const read = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  await waitFor(`${file} to contain the last line`, () => /Credentials: /.test(read()), 20_000);
  const log = read();

  const lines = log.split('\n');
  assert.ok(lines.filter((line) => line.includes('[trace]')).length > 0, 'the log has trace lines');
  assert.ok(lines.filter((line) => line.includes('[debug]')).length > 0, 'the log has debug lines');
  assert.deepEqual(findLeaks(log), [], `leaks in ${file}`);

  assert.ok(notifications.length > 0, 'the suite showed notifications');
  assert.deepEqual(findLeaks(notifications.join('\n')), [], 'leaks in the notifications');
});
