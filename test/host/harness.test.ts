// Checks that the launcher set up the extension host as the other host tests expect: the right
// kind of host, a fixture HOME, no metadata lookups, and the local ECS server as the endpoint.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { fixtureHome } from '../support/paths';

const EXTENSION_ID = 'ecs-tools.alibaba-cloud-ecs-security-groups';

describe('extension host harness', () => {
  it('runs in the host the launcher named', () => {
    const host = process.env.ECS_TEST_HOST;
    if (host === 'code-server') {
      assert.equal(typeof vscode.env.remoteName, 'string');
      assert.notEqual(vscode.env.remoteName, '');
      assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
    } else {
      assert.equal(host, 'desktop', `unexpected ECS_TEST_HOST: ${host}`);
      assert.equal(vscode.env.remoteName, undefined);
      assert.equal(vscode.env.uiKind, vscode.UIKind.Desktop);
    }
  });

  it('uses the fixture HOME', () => {
    assert.equal(process.env.HOME, fixtureHome);
    assert.equal(os.homedir(), fixtureHome);
  });

  it('disables the ECS metadata service', () => {
    assert.equal(process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED, 'true');
  });

  it('hides real credentials from the host', () => {
    assert.equal(process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, undefined);
    assert.equal(process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, undefined);
  });

  it('points the endpoint setting at the local server', () => {
    const endpoint = process.env.ECS_TEST_ENDPOINT;
    assert.ok(endpoint, 'ECS_TEST_ENDPOINT is not set');
    const setting = vscode.workspace.getConfiguration('alibabaCloud.ecs').get('endpoint');
    assert.equal(setting, endpoint);
    assert.equal(endpointUrl(endpoint).hostname, '127.0.0.1');
  });

  it('reaches the local ECS server', async () => {
    const endpoint = process.env.ECS_TEST_ENDPOINT;
    assert.ok(endpoint, 'ECS_TEST_ENDPOINT is not set');
    // Any HTTP status proves that the server listens. The service tests check the API itself.
    const status = await getStatus(endpointUrl(endpoint));
    assert.equal(typeof status, 'number');
  });

  it('activates the extension under test', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });
});

function endpointUrl(endpoint: string): URL {
  return new URL(endpoint.includes('://') ? endpoint : `http://${endpoint}`);
}

function getStatus(url: URL): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.setTimeout(5000, () => request.destroy(new Error(`GET ${url} timed out after 5 s`)));
    request.on('error', reject);
  });
}
