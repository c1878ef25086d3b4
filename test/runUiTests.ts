// Runs the UI suite (out/test/ui/**/*.test.js) with mocha in this Node process. Each suite starts
// code-server with this repository installed as an extension and drives its web workbench with
// Debian's Chromium through Playwright, clicking and typing as a person would. The local ECS server
// runs in this process, so the tests read its state and request counts directly. Screenshots of
// every step go to test-results/ui/. Expects `npm run build` and `npm run compile-tests` to have
// run.
//
// Environment:
//   ECS_TEST_GREP        run only the tests whose full title matches this pattern
//   ECS_TEST_RESULTS     results JSON to write (default: test-results/ui/results.json)
//   ECS_TEST_FIXTURE     ECS fixture JSON (default: test/fixtures/ecs-fixture.json)
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import Mocha from 'mocha';
import { ensureCodeServer } from './support/codeServer';
import { startLocalEcsServer } from './support/localEcsServer';
import { repoRoot } from './support/paths';
import { launchChromium } from './support/workbench';
import { setUiRun } from './ui/harness';

/** Time one test may take, code-server start excluded (its hook has its own limit). */
const TEST_TIMEOUT_MS = 180_000;

interface UiTestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number | undefined;
  error?: string;
}

type Cleanup = () => Promise<void>;

async function main(): Promise<number> {
  const testsDir = path.join(__dirname, 'ui');
  const screenshotsDir = path.join(repoRoot, 'test-results', 'ui');
  const resultsFile = path.resolve(
    process.env.ECS_TEST_RESULTS ?? path.join(screenshotsDir, 'results.json'),
  );
  const testFiles = findTestFiles(testsDir);
  checkBuildOutput(testFiles, testsDir);

  const started = Date.now();
  await ensureCodeServer();
  await fsp.rm(screenshotsDir, { recursive: true, force: true });
  await fsp.mkdir(screenshotsDir, { recursive: true });
  const runDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ecs-ui-tests-'));

  const cleanups: Cleanup[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => console.error(`Clean-up failed: ${error}`));
    }
  };
  stopOnSignals(cleanUp);

  let results: UiTestResult[] = [];
  try {
    const ecs = await startLocalEcsServer();
    cleanups.push(() => ecs.close());
    console.log(`Local ECS server: ${ecs.endpoint}`);
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    setUiRun({ ecs, browser, runDir, screenshotsDir });
    cleanups.push(async () => setUiRun(undefined));

    results = await runMocha(testFiles);
  } catch (error) {
    console.error(`UI tests failed to run: ${(error as Error).stack ?? error}`);
  } finally {
    await cleanUp();
  }

  const seconds = (Date.now() - started) / 1000;
  await writeResults(resultsFile, results, seconds);
  const passed = printSummary(results, seconds, screenshotsDir);
  if (passed) {
    await fsp.rm(runDir, { recursive: true, force: true });
  } else {
    console.error(`Kept ${runDir} with each workbench's user data, logs and browser errors.`);
  }
  return passed ? 0 : 1;
}

function runMocha(testFiles: string[]): Promise<UiTestResult[]> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    timeout: TEST_TIMEOUT_MS,
    // A UI test takes seconds, so mocha's default threshold of 75 ms would flag every one.
    slow: 60_000,
    grep: process.env.ECS_TEST_GREP,
  });
  for (const file of testFiles) {
    mocha.addFile(file);
  }

  const results: UiTestResult[] = [];
  const record = (test: Mocha.Runnable, state: UiTestResult['state'], error?: Error) => {
    results.push({
      title: test.fullTitle(),
      state,
      durationMs: test.duration,
      ...(error ? { error: error.stack ?? String(error) } : {}),
    });
  };
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve(results));
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    runner.on(EVENT_TEST_PASS, (test) => record(test, 'passed'));
    runner.on(EVENT_TEST_PENDING, (test) => record(test, 'pending'));
    // A failing hook also arrives here, with the hook in place of a test.
    runner.on(EVENT_TEST_FAIL, (test, error: Error) => record(test, 'failed', error));
  });
}

function findTestFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => path.join(dir, name));
}

function checkBuildOutput(testFiles: string[], testsDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    main?: string;
  };
  if (manifest.main && !fs.existsSync(path.join(repoRoot, manifest.main))) {
    throw new Error(`${manifest.main} is missing in ${repoRoot}. Run npm run build first.`);
  }
  if (testFiles.length === 0) {
    throw new Error(`No *.test.js files were found in ${testsDir}. Run npm run compile-tests.`);
  }
}

async function writeResults(file: string, tests: UiTestResult[], seconds: number): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const summary = { seconds, tests };
  await fsp.writeFile(file, JSON.stringify(summary, null, 2) + '\n');
}

/** Prints each test's time, the failures and the counts, and returns whether the suite passed. */
function printSummary(results: UiTestResult[], seconds: number, screenshotsDir: string): boolean {
  const count = (state: UiTestResult['state']) =>
    results.filter((result) => result.state === state).length;
  console.log('\nTime per test:');
  for (const result of results) {
    const time =
      result.durationMs === undefined ? '-' : `${(result.durationMs / 1000).toFixed(1)} s`;
    console.log(`  ${time.padStart(8)}  ${result.state.padEnd(7)} ${result.title}`);
  }
  for (const failure of results.filter((result) => result.state === 'failed')) {
    console.error(`\nFAILED ${failure.title}\n${failure.error ?? ''}`);
  }
  console.log(`\nScreenshots: ${path.relative(repoRoot, screenshotsDir)}/`);
  console.log(`UI suite took ${seconds.toFixed(1)} s, code-server starts included.`);
  console.log(
    `ui: ${count('passed')} passed, ${count('failed')} failed, ${count('pending')} skipped`,
  );
  return count('failed') === 0 && count('passed') > 0;
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
