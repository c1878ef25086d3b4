// Shared state of a UI test run, and the code-server workbench that each suite opens. The
// launcher (test/runUiTests.ts) owns the local ECS server and Chromium, and mocha runs the suites
// in the same Node process, so a test can read the server's state and request counts directly.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { EcsServer } from '../server/ecsServer';
import { startCodeServer, type RunningCodeServer } from '../support/codeServer';
import { repoRoot } from '../support/paths';

/** Time for code-server to start and the workbench to load, per suite. */
const WORKBENCH_START_TIMEOUT_MS = 120_000;
/** Time each Playwright action or wait may take before it fails. */
const ACTION_TIMEOUT_MS = 30_000;
const VIEWPORT = { width: 1280, height: 800 };

export interface UiRun {
  ecs: EcsServer;
  browser: Browser;
  /** Folder for each workbench's user data, extensions and workspace. */
  runDir: string;
  /** test-results/ui: one subfolder of screenshots per workbench. */
  screenshotsDir: string;
}

let currentRun: UiRun | undefined;

export function setUiRun(run: UiRun | undefined): void {
  currentRun = run;
}

export function uiRun(): UiRun {
  if (!currentRun) {
    throw new Error(
      'No UI test run is set up. Run the UI tests with `node out/test/runUiTests.js`, which starts the local ECS server and Chromium.',
    );
  }
  return currentRun;
}

/** Numbered PNG screenshots of one workbench, in the order the steps happen. */
export class Screenshots {
  private count = 0;
  readonly files: string[] = [];

  constructor(
    private readonly page: Page,
    readonly dir: string,
  ) {}

  /** Saves `NN-<step>.png` and returns its path. */
  async take(step: string): Promise<string> {
    this.count += 1;
    const file = path.join(this.dir, `${String(this.count).padStart(2, '0')}-${step}.png`);
    // Disabled animations finish the fade-in of menus and notifications before the capture.
    await this.page.screenshot({ path: file, animations: 'disabled' });
    this.files.push(file);
    return file;
  }
}

export interface WorkbenchOptions {
  /** Folder name for this workbench's files and screenshots, such as `join`. */
  name: string;
  /** Starts code-server with workspace trust on, so the folder opens untrusted. */
  trust?: boolean;
  /** VS Code display language, such as `zh-cn`. It needs a language pack, added by `prepare`. */
  locale?: string;
  /** Chromium's locale, such as `zh-CN`. Default: Chromium's own (en-US). */
  browserLocale?: string;
  /** Environment of code-server and so of the extension host, such as a different HOME. */
  env?: Record<string, string>;
  /** Files to create in the workspace folder, keyed by relative path. */
  workspaceFiles?: Record<string, string>;
  /**
   * Runs after this repository is linked into the extensions folder and before code-server
   * starts, to add extensions or user data files.
   */
  prepare?: (dirs: WorkbenchDirs) => Promise<void>;
}

/** Folders of one workbench, all under the run folder. */
export interface WorkbenchDirs {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
}

export interface OpenWorkbench {
  page: Page;
  context: BrowserContext;
  codeServer: RunningCodeServer;
  workspace: string;
  userDataDir: string;
  shots: Screenshots;
  close(): Promise<void>;
}

/**
 * Starts code-server with this repository installed as an extension and the user setting
 * `alibabaCloud.ecs.endpoint` pointing at the run's local ECS server, then opens the workbench
 * in a new browser context. The ECS server's state and request log are reset first.
 */
export async function openWorkbench(options: WorkbenchOptions): Promise<OpenWorkbench> {
  const { ecs, browser, runDir, screenshotsDir } = uiRun();
  const root = path.join(runDir, options.name);
  const dirs: WorkbenchDirs = {
    root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    workspace: path.join(root, 'workspace'),
  };
  const { userDataDir, extensionsDir, workspace } = dirs;
  await fsp.mkdir(workspace, { recursive: true });
  for (const [relativePath, contents] of Object.entries(options.workspaceFiles ?? {})) {
    const file = path.join(workspace, relativePath);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(file, contents);
  }
  await fsp.mkdir(userDataDir, { recursive: true });
  await linkExtension(extensionsDir, repoRoot);
  await options.prepare?.(dirs);

  ecs.reset();
  ecs.resetRequests();
  const codeServer = await startCodeServer({
    userDataDir,
    extensionsDir,
    folder: workspace,
    trust: options.trust,
    locale: options.locale,
    env: options.env,
    settings: { 'alibabaCloud.ecs.endpoint': ecs.endpoint },
  });

  let context: BrowserContext | undefined;
  try {
    context = await browser.newContext({ viewport: VIEWPORT, locale: options.browserLocale });
    const page = await context.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    recordBrowserErrors(page, path.join(root, 'browser-errors.log'));

    const shotsDir = path.join(screenshotsDir, options.name);
    await fsp.mkdir(shotsDir, { recursive: true });
    await page.goto(`${codeServer.url}?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench .part.activitybar').waitFor();
    await page.locator('.monaco-workbench .part.statusbar').waitFor();

    const openedContext = context;
    return {
      page,
      context,
      codeServer,
      workspace,
      userDataDir,
      shots: new Screenshots(page, shotsDir),
      close: async () => {
        await openedContext.close();
        await codeServer.stop();
      },
    };
  } catch (error) {
    await context?.close();
    await codeServer.stop();
    throw error;
  }
}

/**
 * Registers mocha hooks in the enclosing `describe` that open one workbench before its tests,
 * save a screenshot of each failed test and close the workbench afterwards. Returns a getter
 * for the open workbench.
 */
export function useWorkbench(options: WorkbenchOptions): () => OpenWorkbench {
  let workbench: OpenWorkbench | undefined;

  before(async function () {
    this.timeout(WORKBENCH_START_TIMEOUT_MS);
    workbench = await openWorkbench(options);
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (workbench && test?.state === 'failed') {
      const file = await workbench.shots.take(`failed-${slug(test.title)}`).catch(() => undefined);
      if (file) {
        console.log(`    Screenshot of the failure: ${path.relative(repoRoot, file)}`);
      }
    }
  });

  after(async function () {
    this.timeout(WORKBENCH_START_TIMEOUT_MS);
    await workbench?.close();
    workbench = undefined;
  });

  return () => {
    if (!workbench) {
      throw new Error(`The workbench "${options.name}" is not open; its before hook failed.`);
    }
    return workbench;
  };
}

/**
 * Links an extension folder into the extensions folder as `<publisher>.<name>-<version>`.
 * code-server ignores a folder that appears after it has written extensions.json, so this must
 * run before its first start.
 */
export async function linkExtension(extensionsDir: string, extensionDir: string): Promise<void> {
  const manifestText = await fsp.readFile(path.join(extensionDir, 'package.json'), 'utf8');
  const manifest = JSON.parse(manifestText) as { publisher: string; name: string; version: string };
  const folderName = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
  await fsp.mkdir(extensionsDir, { recursive: true });
  await fsp.symlink(extensionDir, path.join(extensionsDir, folderName));
}

/** Appends the page's uncaught errors and console errors to a file, for a failing run. */
function recordBrowserErrors(page: Page, file: string): void {
  const append = (line: string) => fs.appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
  page.on('pageerror', (error) => append(`pageerror: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      append(`console.error: ${message.text()}`);
    }
  });
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
