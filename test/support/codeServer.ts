// Starts code-server on 127.0.0.1 for tests. code-server bundles a VS Code server and web
// workbench whose extension host is the ordinary Node extension host, so it replaces the desktop
// build that @vscode/test-electron would download.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCodeServer } from './codeServerInstall';
import { sandboxedEnv } from './paths';

export { CODE_SERVER_VERSION, ensureCodeServer, type CodeServerInstall } from './codeServerInstall';

export interface CodeServerOptions {
  userDataDir: string;
  extensionsDir: string;
  /** Folder to open in the workbench. */
  folder?: string;
  /**
   * Environment for code-server and its extension host, on top of the inherited one. HOME
   * defaults to test/fixtures/home, and ALIBABA_CLOUD_ECS_METADATA_DISABLED is always 'true'.
   * A value of undefined removes the variable.
   */
  env?: Record<string, string | undefined>;
  /** Enables workspace trust, so the folder opens in Restricted Mode. Default: trust disabled. */
  trust?: boolean;
  /** Display language, such as 'zh-cn'. It takes effect only with a matching language pack. */
  locale?: string;
  /** Log level of code-server and VS Code. LogOutputChannels write nothing below it. */
  logLevel?: 'trace' | 'info';
  /** Extra entries for <userDataDir>/User/settings.json, merged over the entries already there. */
  settings?: Record<string, unknown>;
  /** Port on 127.0.0.1. Default: a free port. */
  port?: number;
  /** How long to wait for the HTTP port to respond. Default: 60 s. */
  startTimeoutMs?: number;
}

export interface RunningCodeServer {
  /** http://127.0.0.1:<port>/ */
  url: string;
  port: number;
  /** code-server's standard output and error. */
  logFile: string;
  /** Settles with the exit code, or null after a signal, when the code-server process ends. */
  exited: Promise<number | null>;
  /** Ends code-server's process group, which takes the extension host with it. */
  stop(): Promise<void>;
}

/** Starts code-server on 127.0.0.1 with no authentication and no extension gallery. */
export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const { entry } = await ensureCodeServer();
  const port = options.port ?? (await findFreePort());
  const trust = options.trust ?? false;
  await fsp.mkdir(options.userDataDir, { recursive: true });
  await fsp.mkdir(options.extensionsDir, { recursive: true });
  await writeUserSettings(options.userDataDir, {
    'security.workspace.trust.enabled': trust,
    'workbench.startupEditor': 'none',
    // VS Code's experiment service otherwise calls default.exp-tas.com from the extension host,
    // which the network guard of the host suite reports.
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    ...options.settings,
  });

  // Without --config, code-server writes its config into ~/.config/code-server.
  const configFile = path.join(options.userDataDir, 'code-server.yaml');
  await fsp.writeFile(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'code-server-'));
  const args = [
    entry,
    ['--config', configFile],
    ['--auth', 'none'],
    ['--bind-addr', `127.0.0.1:${port}`],
    ['--user-data-dir', options.userDataDir],
    ['--extensions-dir', options.extensionsDir],
    '--disable-telemetry',
    '--disable-update-check',
    '--ignore-last-opened',
    trust ? [] : '--disable-workspace-trust',
    options.locale ? ['--locale', options.locale] : [],
    options.logLevel ? ['--log', options.logLevel] : [],
    options.folder ?? [],
  ].flat();

  const logFile = path.join(options.userDataDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, args, {
    cwd: tmpDir,
    env: buildServerEnv(tmpDir, options.env),
    // A process group of its own, so stop() can end the extension host and helpers too.
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`code-server failed to start: ${entry}`);
  }

  // A test runner that crashes must not leave code-server running.
  const killOnExit = () => killGroup(pid, 'SIGKILL');
  process.on('exit', killOnExit);
  let hasExited = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      hasExited = true;
      resolve(code);
    }),
  );

  const url = `http://127.0.0.1:${port}/`;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await stopGroup(pid);
      process.off('exit', killOnExit);
      await fsp.rm(tmpDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    await waitForHttp(url, options.startTimeoutMs ?? 60_000, () => hasExited);
  } catch (error) {
    await stop();
    const output = await fsp.readFile(logFile, 'utf8').catch(() => '');
    throw new Error(`${(error as Error).message}\ncode-server output (${logFile}):\n${output}`);
  }
  return { url, port, logFile, exited, stop };
}

function buildServerEnv(
  tmpDir: string,
  overrides: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    // Keep real Alibaba Cloud credentials out of the extension host, and keep the variables of
    // an enclosing VS Code from reaching this one.
    if (!/^(ALIBABA_CLOUD_|ALICLOUD_|VSCODE_)/.test(name)) {
      env[name] = value;
    }
  }
  Object.assign(env, sandboxedEnv(), {
    EXTENSIONS_GALLERY: '{}',
    TMPDIR: tmpDir,
    // code-server keeps a heartbeat file under XDG_DATA_HOME, which defaults to one in HOME,
    // and HOME is a fixture folder that must stay unchanged.
    XDG_DATA_HOME: path.join(tmpDir, 'data'),
    XDG_CONFIG_HOME: path.join(tmpDir, 'config'),
    XDG_CACHE_HOME: path.join(tmpDir, 'cache'),
  });
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete env[name];
    } else {
      env[name] = value;
    }
  }
  env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
  return env;
}

/** Merges entries into User/settings.json, which must be plain JSON if it exists. */
export async function writeUserSettings(
  userDataDir: string,
  entries: Record<string, unknown>,
): Promise<void> {
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  let existing: Record<string, unknown> = {};
  try {
    existing = JSON.parse(await fsp.readFile(settingsFile, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`Invalid ${settingsFile}. It must be plain JSON without comments: ${error}`);
    }
  }
  await fsp.mkdir(path.dirname(settingsFile), { recursive: true });
  await fsp.writeFile(settingsFile, JSON.stringify({ ...existing, ...entries }, null, 2) + '\n');
}

/** Returns a port on 127.0.0.1 that was free a moment ago. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, hasExited: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  while (!(await respondsToHttp(url))) {
    if (hasExited()) {
      throw new Error(`code-server exited before ${url} responded.`);
    }
    if (Date.now() > deadline) {
      throw new Error(`code-server did not respond at ${url} within ${timeoutMs} ms (timed out).`);
    }
    await sleep(200);
  }
}

function respondsToHttp(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${url}healthz`, (response) => {
      response.resume();
      resolve(true);
    });
    request.setTimeout(2000, () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** Sends SIGTERM to the process group, then SIGKILL if it is still there after 10 s. */
async function stopGroup(pid: number): Promise<void> {
  killGroup(pid, 'SIGTERM');
  if (await waitForGroupExit(pid, 10_000)) {
    return;
  }
  killGroup(pid, 'SIGKILL');
  if (!(await waitForGroupExit(pid, 5_000))) {
    throw new Error(`code-server process group ${pid} is still running after SIGKILL.`);
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw error;
    }
  }
}

async function waitForGroupExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      // Signal 0 checks whether any process of the group is left.
      process.kill(-pid, 0);
    } catch {
      return true;
    }
    await sleep(100);
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
