// Sizes of the bundles and the .vsix, and the time Node takes to load the SDK code, for the
// split build (dist/extension.js plus dist/sdk.js) and for one bundle with the whole SDK.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot, sandboxedEnv } from '../support/paths';
import { formatMs, type BenchSection } from './machine';
import { stageExtension } from './staging';

const LOAD_RUNS = 5;

interface VscePackModule {
  pack(options: {
    cwd: string;
    packagePath: string;
    dependencies: boolean;
    rewriteRelativeLinks: boolean;
  }): Promise<{ packagePath: string; files: Array<{ path: string }> }>;
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(2)} MiB`
    : `${(bytes / 1024).toFixed(0)} KiB`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs the script in a new Node process, which prints a number of milliseconds. */
function timeInFreshNode(script: string, cwd: string): number {
  const output = execFileSync(process.execPath, ['-e', script], {
    cwd,
    env: { ...process.env, ...sandboxedEnv() },
    encoding: 'utf8',
  });
  return Number(output.trim());
}

/** Loads of a file in fresh Node processes, median of LOAD_RUNS, in milliseconds. */
function loadTime(file: string, access: string[]): number {
  const reads = access.map((name) => `loaded.${name};`).join(' ');
  const script =
    `const started = performance.now(); const loaded = require(${JSON.stringify(file)}); ` +
    `${reads} console.log(performance.now() - started);`;
  return median(
    Array.from({ length: LOAD_RUNS }, () => timeInFreshNode(script, path.dirname(file))),
  );
}

/** Bundles the whole SDK into one minified file, as the extension carried it before the split. */
async function bundleWholeSdk(dir: string): Promise<string> {
  const outfile = path.join(dir, 'whole-sdk.js');
  await esbuild.build({
    stdin: {
      contents: [
        "exports.ecs = require('@alicloud/ecs20140526');",
        "exports.openApiCore = require('@alicloud/openapi-core');",
        "exports.credentials = require('@alicloud/credentials');",
      ].join('\n'),
      resolveDir: repoRoot,
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

export async function runBundleBench(): Promise<BenchSection> {
  const split = await stageExtension();
  const whole = await stageExtension({ wholeSdk: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-bench-bundle-'));
  try {
    const size = (file: string) => fs.statSync(file).size;
    const extensionJs = size(path.join(split.dir, 'dist', 'extension.js'));
    const sdkJs = size(path.join(split.dir, 'dist', 'sdk.js'));
    const wholeJs = size(path.join(whole.dir, 'dist', 'extension.js'));

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vsce = require('@vscode/vsce/out/package') as VscePackModule;
    // NOTE: vsce 3.9.2 rejects the README's relative image links, because it finds no known
    // repository host in package.json. So the links are packed unchanged.
    const packed = await vsce.pack({
      cwd: split.dir,
      packagePath: path.join(scratch, 'extension.vsix'),
      dependencies: false,
      rewriteRelativeLinks: false,
    });
    const vsixSize = size(packed.packagePath);
    const packedFiles = packed.files.map((file) => file.path.replace(/^extension\//, '')).sort();
    for (const needed of ['dist/extension.js', 'dist/sdk.js']) {
      if (!packedFiles.includes(needed)) {
        throw new Error(`The .vsix lacks ${needed}; check .vscodeignore.`);
      }
    }

    const sdkFile = path.join(split.dir, 'dist', 'sdk.js');
    const wholeSdkFile = await bundleWholeSdk(scratch);
    const loads = {
      credentials: loadTime(sdkFile, ['credentials']),
      split: loadTime(sdkFile, ['credentials', 'openApiCore', 'ecs']),
      whole: loadTime(wholeSdkFile, []),
    };

    const lines = [
      'Production builds (`node esbuild.js --production`); the whole-SDK build is `--whole-sdk`, one bundle as the extension was built before the split.',
      '',
      '| file | bytes | size |',
      '|---|---|---|',
      `| dist/extension.js, loaded on activation | ${extensionJs} | ${kib(extensionJs)} |`,
      `| dist/sdk.js, loaded on first use | ${sdkJs} | ${kib(sdkJs)} |`,
      `| both | ${extensionJs + sdkJs} | ${kib(extensionJs + sdkJs)} |`,
      `| whole-SDK build, dist/extension.js | ${wholeJs} | ${kib(wholeJs)} |`,
      `| .vsix (\`vsce\` pack of the production build, README links not rewritten) | ${vsixSize} | ${kib(vsixSize)} |`,
      '',
      `The .vsix holds ${packedFiles.length} files: ${packedFiles.map((file) => `\`${file}\``).join(', ')}.`,
      '',
      `Time for a new Node process to load the SDK code, median of ${LOAD_RUNS} runs:`,
      '',
      '| code | load time |',
      '|---|---|',
      `| dist/sdk.js, credentials library only (the status bar's credential check) | ${formatMs(loads.credentials)} |`,
      `| dist/sdk.js, credentials, OpenAPI core and the pruned ECS client (first API call) | ${formatMs(loads.split)} |`,
      `| the whole ECS SDK, OpenAPI core and credentials, bundled and minified | ${formatMs(loads.whole)} |`,
    ];
    return { title: 'Bundle and package', lines };
  } finally {
    split.remove();
    whole.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
