// Runs the extension-host suite in desktop VS Code through @vscode/test-electron, for machines
// that can download VS Code. The test machines here cannot, so `npm test` uses runHostTests
// (code-server) instead. Expects `npm run build` and `npm run compile-tests` to have run.
//
// Environment: ECS_TEST_RESULTS, ECS_TEST_GREP and ECS_TEST_FIXTURE as in runHostTests.
//
// NOTE: this runner has only been run up to the VS Code download, which fails offline, so the
// launch arguments and the environment have not been seen to reach a desktop extension host.
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { writeUserSettings } from './support/codeServer';
import { startLocalEcsServer } from './support/localEcsServer';
import { repoRoot, sandboxedEnv } from './support/paths';

// The VS Code that code-server 4.100.3 bundles, so both hosts run the same version.
const VSCODE_VERSION = '1.100.3';

async function main(): Promise<number> {
  const extensionTestsPath = path.join(__dirname, 'host', 'index.js');
  const resultsFile = path.resolve(
    process.env.ECS_TEST_RESULTS ?? path.join(repoRoot, 'test-results', 'desktop.json'),
  );
  const runDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ecs-desktop-tests-'));
  const userDataDir = path.join(runDir, 'user-data');
  const workspace = path.join(runDir, 'workspace');
  await fsp.mkdir(workspace);

  const ecs = await startLocalEcsServer();
  try {
    await writeUserSettings(userDataDir, {
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'alibabaCloud.ecs.endpoint': ecs.endpoint,
    });
    return await runTests({
      version: VSCODE_VERSION,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      launchArgs: [
        workspace,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        path.join(runDir, 'extensions'),
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
      extensionTestsEnv: {
        ...hiddenCredentials(),
        ...sandboxedEnv(),
        // Keeps the files that Electron places by the XDG rules out of the fixture HOME.
        XDG_CONFIG_HOME: path.join(runDir, 'config'),
        XDG_CACHE_HOME: path.join(runDir, 'cache'),
        XDG_DATA_HOME: path.join(runDir, 'data'),
        ECS_TEST_ENDPOINT: ecs.endpoint,
        ECS_TEST_RESULTS: resultsFile,
        ECS_TEST_HOST: 'desktop',
        // mocha 12 colors its check marks through picocolors, which ignores mocha's color option
        // and turns colors on whenever CI is set, unless NO_COLOR is set.
        NO_COLOR: '1',
      },
    });
  } finally {
    await ecs.close();
    await fsp.rm(runDir, { recursive: true, force: true });
  }
}

/**
 * Maps every inherited Alibaba Cloud variable to undefined, which removes it from the
 * environment of VS Code, so real credentials never reach the extension host.
 */
function hiddenCredentials(): Record<string, undefined> {
  const hidden: Record<string, undefined> = {};
  for (const name of Object.keys(process.env)) {
    if (/^(ALIBABA_CLOUD_|ALICLOUD_)/.test(name)) {
      hidden[name] = undefined;
    }
  }
  return hidden;
}

main().then(
  (exitCode) => process.exit(exitCode),
  (error: Error) => {
    console.error(`Desktop extension tests failed: ${error.message}`);
    process.exit(1);
  },
);
