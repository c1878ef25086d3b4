// Drives the code-server web workbench with Debian's Chromium through playwright-core, which
// brings no browser of its own.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

// Without the background-networking, component-update and sync switches, Chromium keeps
// trying to reach Google's hosts, which this closed network refuses.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches Debian's Chromium, headless unless `headless: false` is passed. */
export async function launchChromium(options: { headless?: boolean } = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium was not found at ${CHROMIUM_PATH}. Run scripts/install-deps.sh.`);
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined) {
      env[name] = value;
    }
  }
  // Keeps Chromium from writing dconf settings into HOME.
  env.GSETTINGS_BACKEND = 'memory';
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: options.headless ?? true,
    env,
  });
}

export interface ExtensionTestUrlOptions {
  /** Folder with the package.json of the extension, loaded in development mode. */
  extensionDevelopmentPath: string;
  /** Test runner module, or a folder with index.js, that exports `run(): Promise<void>`. */
  extensionTestsPath: string;
  /** Folder to open in the workbench. */
  folder?: string;
}

/**
 * Builds the workbench URL that loads an extension in development mode and runs its tests. The
 * code-server command line rejects --extensionDevelopmentPath and --extensionTestsPath, but
 * its web workbench reads both from the `payload` query parameter as vscode-remote URIs.
 */
export function buildExtensionTestUrl(serverUrl: string, options: ExtensionTestUrlOptions): string {
  const url = new URL(serverUrl);
  const remoteUri = (filePath: string) =>
    `vscode-remote://${url.host}${filePath.split('/').map(encodeURIComponent).join('/')}`;
  const payload = [
    ['extensionDevelopmentPath', remoteUri(options.extensionDevelopmentPath)],
    ['extensionTestsPath', remoteUri(options.extensionTestsPath)],
    ['skipWelcome', 'true'],
  ];
  if (options.folder) {
    url.searchParams.set('folder', options.folder);
  }
  url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

export interface ExtensionTestRunOptions extends ExtensionTestUrlOptions {
  browser: Browser;
  /** URL of a running code-server, such as http://127.0.0.1:PORT/. */
  serverUrl: string;
  /** Time allowed for loading the workbench and running every test. */
  timeoutMs: number;
  /** Folder for the log files that the workbench hands over when the tests end. */
  logsDir?: string;
  /** Receives each console line of the extension host. Default: this process's console. */
  onLog?: (type: string, message: string) => void;
}

/** Log file of the workbench, as passed to `codeAutomationExit`. */
interface WorkbenchLogFile {
  relativePath: string;
  contents: string;
}

/**
 * Opens the workbench with the extension-test payload in a new browser context, and resolves
 * with the exit code that the workbench passes to `codeAutomationExit`: 0 when `run()`
 * resolved, 1 when it rejected or the runner failed to load. Rejects when the tests take longer
 * than `timeoutMs`.
 */
export async function runExtensionTests(options: ExtensionTestRunOptions): Promise<number> {
  const onLog = options.onLog ?? printLog;
  const context = await options.browser.newContext();
  let timer: NodeJS.Timeout | undefined;
  try {
    const page = await context.newPage();
    let settle!: { resolve: (code: number) => void; reject: (error: Error) => void };
    const exitCode = new Promise<number>((resolve, reject) => (settle = { resolve, reject }));
    timer = setTimeout(
      () => settle.reject(new Error(`Extension tests timed out after ${options.timeoutMs} ms.`)),
      options.timeoutMs,
    );
    page.on('crash', () => settle.reject(new Error('The workbench page crashed.')));

    await page.exposeFunction('codeAutomationExit', async (code: number, logs?: unknown) => {
      if (options.logsDir && Array.isArray(logs)) {
        await saveWorkbenchLogs(options.logsDir, logs as WorkbenchLogFile[]);
      }
      settle.resolve(code);
    });
    // The workbench passes console arguments printf-style, as the extension host received them.
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      onLog(type, util.format(...(Array.isArray(args) ? args : [args])));
    });

    await page.goto(buildExtensionTestUrl(options.serverUrl, options));
    return await exitCode;
  } finally {
    clearTimeout(timer);
    await context.close();
  }
}

function printLog(type: string, message: string): void {
  if (type === 'error' || type === 'warn') {
    console.error(message);
  } else {
    console.log(message);
  }
}

async function saveWorkbenchLogs(logsDir: string, logs: WorkbenchLogFile[]): Promise<void> {
  for (const { relativePath, contents } of logs) {
    const target = path.resolve(logsDir, relativePath);
    // A log path from the page must not escape the logs folder.
    if (!target.startsWith(path.resolve(logsDir) + path.sep)) {
      continue;
    }
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.writeFile(target, contents);
  }
}
