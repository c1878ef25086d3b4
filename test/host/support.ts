// Helpers for tests that run inside the VS Code extension host.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EcsExtensionApi } from '../../src/extension';
import { startEcsServer, type EcsServer } from '../server/ecsServer';

export const EXTENSION_ID = 'ecs-tools.alibaba-cloud-ecs-security-groups';
export const FIXTURE_PATH = path.resolve(__dirname, '../../../test/fixtures/ecs-fixture.json');

export async function activateExtension(): Promise<EcsExtensionApi> {
  const extension = vscode.extensions.getExtension<EcsExtensionApi>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`Extension ${EXTENSION_ID} is not loaded in this host`);
  }
  return extension.activate();
}

/** Polls until the condition holds, failing with the description after the timeout. */
export async function waitFor(
  description: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
}

/**
 * Starts a local ECS server in this host and points the extension's user setting at it, so that
 * the test can read the server's state and request counts directly.
 */
export async function connectToOwnServer(api: EcsExtensionApi): Promise<EcsServer> {
  const server = await startEcsServer({ fixture: FIXTURE_PATH });
  await vscode.workspace
    .getConfiguration('alibabaCloud.ecs')
    .update('endpoint', server.endpoint, vscode.ConfigurationTarget.Global);
  await waitFor(
    `the extension to use ${server.endpoint}`,
    () => api.session().endpoint?.url === server.endpoint,
  );
  return server;
}
