// Test runner that the extension host loads through extensionTestsPath, as with
// @vscode/test-electron: it runs every out/test/host/**/*.test.js in this host with mocha.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** One test or hook in the results file that ECS_TEST_RESULTS names. */
export interface HostTestResult {
  title: string;
  file: string | undefined;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number | undefined;
  error?: string;
}

export interface HostTestResults {
  passed: number;
  failed: number;
  pending: number;
  tests: HostTestResult[];
}

/** Runs the suite and rejects when any test or hook fails, or when no test file exists. */
export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    // The spec reporter prints one line per test. Colors are off because the forwarded output
    // would show them as escape codes.
    reporter: 'spec',
    color: false,
    timeout: 20_000,
    grep: process.env.ECS_TEST_GREP,
  });
  const files = findTestFiles(__dirname);
  if (files.length === 0) {
    return Promise.reject(new Error(`No *.test.js files were found under ${__dirname}.`));
  }
  for (const file of files) {
    mocha.addFile(file);
  }

  const results: HostTestResults = { passed: 0, failed: 0, pending: 0, tests: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      writeResults(results);
      if (failures > 0) {
        reject(new Error(`${failures} of the extension host tests failed.`));
      } else {
        resolve();
      }
    });
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    runner.on(EVENT_TEST_PASS, (test) => record(results, test, 'passed'));
    runner.on(EVENT_TEST_PENDING, (test) => record(results, test, 'pending'));
    // A failing hook also arrives here, with the hook in place of a test.
    runner.on(EVENT_TEST_FAIL, (test, error: Error) => record(results, test, 'failed', error));
  });
}

function record(
  results: HostTestResults,
  test: Mocha.Runnable,
  state: HostTestResult['state'],
  error?: Error,
): void {
  results[state] += 1;
  results.tests.push({
    title: test.fullTitle(),
    file: test.file,
    state,
    durationMs: test.duration,
    ...(error ? { error: error.stack ?? String(error) } : {}),
  });
}

function writeResults(results: HostTestResults): void {
  const resultsFile = process.env.ECS_TEST_RESULTS;
  if (resultsFile) {
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  }
}

function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => path.join(dir, name));
}
