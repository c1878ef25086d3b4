// `npm run sandbox`: builds the extension and serves it in code-server against the local ECS
// server, so a person can try it in a browser with fixture data. Runs until Ctrl-C.
//
// Environment: SANDBOX_PORT sets the code-server port (default 18080). The ECS server always
// listens on 127.0.0.1:18090. SANDBOX_HOME replaces the fixture HOME, for example with an empty
// folder to see the welcome view. SANDBOX_LATENCY_MS adds that delay to every ECS response, so
// that a batch runs long enough to cancel it.
import { spawn } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { ensureCodeServer, startCodeServer } from './codeServer';
import { startLocalEcsServer } from './localEcsServer';
import { repoRoot } from './paths';

const ECS_PORT = 18090;
const DEFAULT_CODE_SERVER_PORT = 18080;

// User data stays between runs, so settings and globalState survive a restart. The browser keeps
// SecretStorage per origin, which is why the port stays fixed as well.
const sandboxDir = path.join(repoRoot, '.cache', 'sandbox');

async function main(): Promise<void> {
  const port = parsePort(process.env.SANDBOX_PORT);
  await ensureCodeServer();
  console.log('Building the extension (node esbuild.js)...');
  await runNode(['esbuild.js'], repoRoot);

  const extensionsDir = path.join(sandboxDir, 'extensions');
  await linkExtension(extensionsDir);
  const workspace = path.join(sandboxDir, 'workspace');
  await fsp.mkdir(workspace, { recursive: true });

  const ecs = await startLocalEcsServer(ECS_PORT);
  ecs.latencyMs = parseLatency(process.env.SANDBOX_LATENCY_MS);
  console.log(`Local ECS server: ${ecs.endpoint}`);
  const home = process.env.SANDBOX_HOME ? path.resolve(process.env.SANDBOX_HOME) : undefined;
  const codeServer = await startCodeServer({
    env: home ? { HOME: home } : undefined,
    userDataDir: path.join(sandboxDir, 'user-data'),
    extensionsDir,
    folder: workspace,
    port,
    settings: {
      'alibabaCloud.ecs.endpoint': ecs.endpoint,
      // The workspace sits inside this repository, and Git would ask about it at every start.
      'git.openRepositoryInParentFolders': 'never',
    },
  }).catch(async (error: unknown) => {
    await ecs.close();
    throw error;
  });

  console.log(`\nOpen ${codeServer.url}?folder=${encodeURIComponent(workspace)} in a browser.`);
  console.log(`code-server log: ${codeServer.logFile}`);
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const stopBoth = async () => {
    stopping = true;
    await codeServer.stop();
    await ecs.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log('\nStopping code-server and the local ECS server...');
      void stopBoth().then(() => process.exit(0));
    });
  }

  const exitCode = await codeServer.exited;
  if (stopping) {
    return;
  }
  console.error(`code-server exited with code ${exitCode}. See ${codeServer.logFile}.`);
  await ecs.close();
  process.exit(1);
}

function parsePort(value: string | undefined): number {
  if (value === undefined) {
    return DEFAULT_CODE_SERVER_PORT;
  }
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`Invalid SANDBOX_PORT: ${value}. Use a port number from 1 to 65535.`);
  }
  return port;
}

/**
 * Links the repository into a new extensions folder as an installed extension. code-server
 * ignores a folder that appears after it wrote extensions.json, so the folder is rebuilt at
 * every start.
 */
async function linkExtension(extensionsDir: string): Promise<void> {
  const manifestText = await fsp.readFile(path.join(repoRoot, 'package.json'), 'utf8');
  const manifest = JSON.parse(manifestText) as { publisher: string; name: string; version: string };
  const folderName = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
  await fsp.rm(extensionsDir, { recursive: true, force: true });
  await fsp.mkdir(extensionsDir, { recursive: true });
  await fsp.symlink(repoRoot, path.join(extensionsDir, folderName));
}

function runNode(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`node ${args.join(' ')} failed with code ${code}.`)),
    );
  });
}

main().catch((error: Error) => {
  console.error(`Sandbox failed to start: ${error.message}`);
  process.exit(1);
});

function parseLatency(value: string | undefined): number {
  if (value === undefined || value === '') {
    return 0;
  }
  const latency = Number(value);
  if (!Number.isInteger(latency) || latency < 0 || latency > 60_000) {
    throw new Error(
      `Invalid SANDBOX_LATENCY_MS: ${value}. Use a whole number of milliseconds from 0 to 60000.`,
    );
  }
  return latency;
}
