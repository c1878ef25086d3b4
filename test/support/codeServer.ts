// Installs code-server from npm without network access beyond the npm registry, and starts it
// on 127.0.0.1 for tests. code-server bundles a VS Code server and web workbench whose extension
// host is the ordinary Node extension host, so it replaces the desktop build that
// @vscode/test-electron would download.
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, sandboxedEnv } from './paths';

// 4.100.3 bundles VS Code 1.100.3 and runs on Node 20, but 4.101 and later require Node 22.
export const CODE_SERVER_VERSION = '4.100.3';

const installDir = path.join(repoRoot, '.cache', `code-server-${CODE_SERVER_VERSION}`);
const packageDir = path.join(installDir, 'node_modules', 'code-server');
const vscodeDir = path.join(packageDir, 'lib', 'vscode');
const markerFile = path.join(installDir, 'install-complete.json');
const installLog = path.join(repoRoot, '.cache', `code-server-${CODE_SERVER_VERSION}-install.log`);

const execFileAsync = promisify(execFile);

export interface CodeServerInstall {
  /** out/node/entry.js, the script that `node` runs to start code-server. */
  entry: string;
  /** The installed code-server package folder. */
  root: string;
}

/** Marker file content. An install made for another Node ABI must be rebuilt. */
function installFingerprint() {
  return {
    version: CODE_SERVER_VERSION,
    nodeModuleVersion: process.versions.modules,
    platform: process.platform,
    arch: process.arch,
  };
}

function isInstalled(): boolean {
  try {
    const marker = fs.readFileSync(markerFile, 'utf8');
    return (
      marker === JSON.stringify(installFingerprint()) &&
      fs.existsSync(path.join(packageDir, 'out', 'node', 'entry.js'))
    );
  } catch {
    return false;
  }
}

/**
 * Installs code-server into .cache/code-server-<version>/ of the repository, unless the marker
 * file of a finished install for this Node ABI is already there. The npm postinstall of
 * code-server downloads ripgrep and prebuilt native modules, so the install runs with
 * --ignore-scripts and builds the native modules from source instead. Needs the Debian packages
 * from scripts/install-deps.sh.
 */
export async function ensureCodeServer(): Promise<CodeServerInstall> {
  const result = { entry: path.join(packageDir, 'out', 'node', 'entry.js'), root: packageDir };
  if (isInstalled()) {
    return result;
  }

  // NOTE: two processes installing at the same time would corrupt each other's install, and
  // nothing locks against that. The test scripts call this one at a time.
  const started = Date.now();
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${installDir} (log: ${installLog})`);
  const rgPath = findOnPath('rg');
  checkBuildTools();

  await fsp.rm(installDir, { recursive: true, force: true });
  await fsp.mkdir(installDir, { recursive: true });
  await fsp.writeFile(installLog, '');
  const env = buildEnv();

  await step('npm install code-server', async () => {
    // Without a package.json here, npm would walk up and install into the repository instead.
    await fsp.writeFile(
      path.join(installDir, 'package.json'),
      JSON.stringify({ name: 'code-server-host', private: true }, null, 2) + '\n',
    );
    await npm(installDir, env, [
      'install',
      '--ignore-scripts',
      `code-server@${CODE_SERVER_VERSION}`,
    ]);
  });

  // code-server loads argon2 at start even with --auth none.
  await step('build argon2', () => npm(installDir, env, ['rebuild', 'argon2']));

  await step('npm install lib/vscode', () =>
    npm(vscodeDir, env, ['install', '--omit=dev', '--ignore-scripts']),
  );
  await step('build spdlog, kerberos, native-watchdog, deviceid', () =>
    npm(vscodeDir, env, [
      'rebuild',
      '@vscode/spdlog',
      'kerberos',
      'native-watchdog',
      '@vscode/deviceid',
    ]),
  );

  // `npm rebuild node-pty` fails because the package's install script calls npx, so run
  // npm's bundled node-gyp in the package folder directly.
  await step('build node-pty', async () => {
    const nodeGyp = await findNpmNodeGyp();
    await run(process.execPath, [nodeGyp, 'rebuild'], {
      cwd: path.join(vscodeDir, 'node_modules', 'node-pty'),
      env,
    });
  });

  await step('link ripgrep and node_modules.asar', async () => {
    const rgLink = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
    await fsp.mkdir(path.dirname(rgLink), { recursive: true });
    await fsp.rm(rgLink, { force: true });
    await fsp.symlink(rgPath, rgLink);

    const asarLink = path.join(vscodeDir, 'node_modules.asar');
    await fsp.rm(asarLink, { force: true });
    await fsp.symlink('node_modules', asarLink);
  });

  await step('npm install lib/vscode/extensions', () =>
    npm(path.join(vscodeDir, 'extensions'), env, ['install', '--omit=dev', '--ignore-scripts']),
  );

  await fsp.writeFile(markerFile, JSON.stringify(installFingerprint()));
  log(`Installed code-server ${CODE_SERVER_VERSION} in ${seconds(Date.now() - started)}`);
  return result;
}

function buildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_build_from_source: 'true' };
  // node-gyp run outside npm reads only the environment, and offline it cannot download
  // Node's headers, so point it at the headers installed beside the running Node.
  if (!env.npm_config_nodedir && !env.NPM_CONFIG_NODEDIR) {
    env.npm_config_nodedir = findNodeHeadersPrefix();
  }
  return env;
}

/**
 * Returns the install prefix of the running Node, such as /usr for Debian's /usr/bin/node.
 * node-gyp's nodedir is that prefix, not /usr/include/node: it reads <nodedir>/include/node.
 */
function findNodeHeadersPrefix(): string {
  const prefix = path.dirname(path.dirname(process.execPath));
  const header = path.join(prefix, 'include', 'node', 'node_api.h');
  if (!fs.existsSync(header)) {
    throw new Error(
      `Node's headers were not found at ${header}, and node-gyp cannot download them here. ` +
        'Install the headers that match this Node, or set npm_config_nodedir to their prefix.',
    );
  }
  return prefix;
}

function checkBuildTools(): void {
  for (const tool of ['python3', 'make', 'g++', 'krb5-config']) {
    findOnPath(tool);
  }
}

function findOnPath(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not in this PATH entry.
    }
  }
  throw new Error(
    `${command} was not found on PATH, but installing code-server needs it. ` +
      'Run scripts/install-deps.sh to install the Debian packages.',
  );
}

async function findNpmNodeGyp(): Promise<string> {
  const { stdout } = await execFileAsync('npm', ['root', '-g']);
  const nodeGyp = path.join(stdout.trim(), 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (!fs.existsSync(nodeGyp)) {
    throw new Error(`npm's bundled node-gyp was not found at ${nodeGyp}.`);
  }
  return nodeGyp;
}

async function step(title: string, action: () => Promise<void>): Promise<void> {
  const started = Date.now();
  await appendLog(`\n=== ${title}\n`);
  await action();
  log(`  ${title}: ${seconds(Date.now() - started)}`);
}

function npm(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<void> {
  // --prefix pins the project folder, because `npm run` exports npm_config_local_prefix of the
  // repository to its children.
  return run('npm', [...args, '--prefix', cwd, '--no-audit', '--no-fund', '--no-update-notifier'], {
    cwd,
    env,
  });
}

/** Runs a command with its output appended to the install log, and rejects with the log's tail. */
async function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<void> {
  await appendLog(`$ (cd ${options.cwd} && ${command} ${args.join(' ')})\n`);
  const logFd = fs.openSync(installLog, 'a');
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(command, args, { ...options, stdio: ['ignore', logFd, logFd] });
      child.on('error', reject);
      child.on('exit', (code) => resolve(code));
    });
    if (exitCode !== 0) {
      const tail = (await fsp.readFile(installLog, 'utf8')).split('\n').slice(-40).join('\n');
      throw new Error(
        `${command} ${args.join(' ')} failed with exit code ${exitCode} in ${options.cwd}.\n` +
          `Last lines of ${installLog}:\n${tail}`,
      );
    }
  } finally {
    fs.closeSync(logFd);
  }
}

function appendLog(text: string): Promise<void> {
  return fsp.appendFile(installLog, text);
}

function log(message: string): void {
  console.log(`[code-server] ${message}`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

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

if (require.main === module) {
  ensureCodeServer().then(
    ({ entry }) => console.log(`[code-server] ${CODE_SERVER_VERSION} is ready: ${entry}`),
    (error: Error) => {
      console.error(`[code-server] Install failed: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
