// Runs the extension-host suite (out/test/host/**/*.test.js) inside code-server's extension
// host, with the extension loaded in development mode and the local ECS server as its endpoint.
// Expects `npm run build` and `npm run compile-tests` to have run.
//
// Environment:
//   ECS_TEST_RESULTS          results JSON to write (default: test-results/host.json)
//   ECS_TEST_GREP             run only the tests whose full title matches this pattern
//   ECS_TEST_LOG_LEVEL        'trace' or 'info', the log level of code-server and VS Code
//   ECS_TEST_TIMEOUT_MS       time allowed for the whole suite (default: 600000)
//   ECS_TEST_EXTENSION_PATH   extension folder to load in place of this repository
//   ECS_TEST_FIXTURE          ECS fixture JSON (default: test/fixtures/ecs-fixture.json)
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HostTestResults } from './host/index';
import { ensureCodeServer, startCodeServer } from './support/codeServer';
import { startLocalEcsServer } from './support/localEcsServer';
import { repoRoot } from './support/paths';
import { launchChromium, runExtensionTests } from './support/workbench';

type Cleanup = () => Promise<void>;

async function main(): Promise<number> {
  const extensionDevelopmentPath = process.env.ECS_TEST_EXTENSION_PATH ?? repoRoot;
  const extensionTestsPath = path.join(__dirname, 'host', 'index.js');
  const resultsFile = path.resolve(
    process.env.ECS_TEST_RESULTS ?? path.join(repoRoot, 'test-results', 'host.json'),
  );
  const timeoutMs = Number(process.env.ECS_TEST_TIMEOUT_MS ?? 600_000);
  const logLevel = parseLogLevel(process.env.ECS_TEST_LOG_LEVEL);
  checkBuildOutput(extensionDevelopmentPath, extensionTestsPath);

  await ensureCodeServer();
  await fsp.rm(resultsFile, { force: true });
  const runDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ecs-host-tests-'));
  const workspace = path.join(runDir, 'workspace');
  await fsp.mkdir(workspace);

  const cleanups: Cleanup[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => console.error(`Clean-up failed: ${error}`));
    }
  };
  stopOnSignals(cleanUp);

  let passed = false;
  try {
    const ecs = await startLocalEcsServer();
    cleanups.push(() => ecs.close());
    console.log(`Local ECS server: ${ecs.endpoint}`);

    const codeServer = await startCodeServer({
      userDataDir: path.join(runDir, 'user-data'),
      extensionsDir: path.join(runDir, 'extensions'),
      folder: workspace,
      logLevel,
      settings: { 'alibabaCloud.ecs.endpoint': ecs.endpoint },
      env: {
        ECS_TEST_ENDPOINT: ecs.endpoint,
        ECS_TEST_RESULTS: resultsFile,
        ECS_TEST_HOST: 'code-server',
        // mocha 12 colors its check marks through picocolors, which ignores mocha's color option
        // and turns colors on whenever CI is set, unless NO_COLOR is set.
        NO_COLOR: '1',
      },
    });
    cleanups.push(() => codeServer.stop());
    console.log(`code-server: ${codeServer.url} (log: ${codeServer.logFile})`);

    const browser = await launchChromium();
    cleanups.push(() => browser.close());

    const started = Date.now();
    const exitCode = await runExtensionTests({
      browser,
      serverUrl: codeServer.url,
      extensionDevelopmentPath,
      extensionTestsPath,
      folder: workspace,
      timeoutMs,
      logsDir: path.join(runDir, 'workbench-logs'),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Extension host tests ended with exit code ${exitCode} after ${seconds} s.`);

    passed = printSummary(resultsFile, exitCode);
    if (!passed) {
      await printTail(codeServer.logFile, 60);
    }
  } catch (error) {
    console.error(`Extension host tests failed to run: ${(error as Error).stack ?? error}`);
  } finally {
    await cleanUp();
  }

  if (passed) {
    await fsp.rm(runDir, { recursive: true, force: true });
  } else {
    console.error(`Kept ${runDir} with the user data, logs and workbench logs.`);
  }
  return passed ? 0 : 1;
}

function checkBuildOutput(extensionDevelopmentPath: string, extensionTestsPath: string): void {
  const manifest = path.join(extensionDevelopmentPath, 'package.json');
  const { main } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { main?: string };
  if (main && !fs.existsSync(path.join(extensionDevelopmentPath, main))) {
    throw new Error(`${main} is missing in ${extensionDevelopmentPath}. Run npm run build first.`);
  }
  if (!fs.existsSync(extensionTestsPath)) {
    throw new Error(`${extensionTestsPath} is missing. Run npm run compile-tests first.`);
  }
}

function parseLogLevel(value: string | undefined): 'trace' | 'info' | undefined {
  if (value === undefined || value === 'trace' || value === 'info') {
    return value;
  }
  throw new Error(`Invalid ECS_TEST_LOG_LEVEL: ${value}. Use trace or info.`);
}

/** Prints the counts and each failure, and returns whether the suite passed. */
function printSummary(resultsFile: string, exitCode: number): boolean {
  let results: HostTestResults;
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as HostTestResults;
  } catch (error) {
    // The runner writes the file after mocha ends, so a missing file means mocha never ended.
    console.error(`No results were written to ${resultsFile}: ${(error as Error).message}`);
    return false;
  }

  for (const test of results.tests.filter(({ state }) => state === 'failed')) {
    console.error(`FAILED ${test.title}\n${test.error ?? ''}\n`);
  }
  console.log(
    `host: ${results.passed} passed, ${results.failed} failed, ${results.pending} skipped`,
  );
  return exitCode === 0 && results.failed === 0 && results.passed > 0;
}

async function printTail(file: string, lineCount: number): Promise<void> {
  const text = await fsp.readFile(file, 'utf8').catch(() => '');
  const lines = text.trimEnd().split('\n').slice(-lineCount);
  console.error(`Last ${lines.length} lines of ${file}:\n${lines.join('\n')}`);
}

/** Runs the clean-up on Ctrl-C or SIGTERM, so no code-server or Chromium stays behind. */
function stopOnSignals(cleanUp: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`Received ${signal}, stopping.`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
}

main().then(
  (exitCode) => process.exit(exitCode),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
