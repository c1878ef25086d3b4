// Installs code-server from the npm registry without its postinstall, which downloads binaries
// from hosts that these machines cannot reach.
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths';

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

if (require.main === module) {
  ensureCodeServer().then(
    ({ entry }) => console.log(`[code-server] ${CODE_SERVER_VERSION} is ready: ${entry}`),
    (error: Error) => {
      console.error(`[code-server] Install failed: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
