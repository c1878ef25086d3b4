// Measures the extension in code-server's extension host: activation time and what it loads,
// paging through the largest folder of the large fixture, API calls against the minimum, and
// the host's memory. hostProbe.ts does the measuring inside the host.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateLargeFixture, LARGEST } from '../fixtures/largeFixture';
import { startEcsServer, type EcsServer } from '../server/ecsServer';
import { ensureCodeServer, startCodeServer } from '../support/codeServer';
import { launchChromium, runExtensionTests } from '../support/workbench';
import { formatMs, type BenchSection } from './machine';
import type { ProbeResults } from './hostProbe';
import { stageExtension, type StagedExtension } from './staging';

const EXTENSION_TIMEOUT_MS = 300_000;
/** Latency the local ECS server adds to every response, in milliseconds. */
const LATENCY_MS = 50;
/** Fresh extension hosts per build for the activation times, whose median is reported. */
const ACTIVATION_RUNS = 3;

/**
 * Runs hostProbe.js in a code-server whose extension host loads the staged extension in
 * development mode. The staged manifest lists no activation event, so the extension activates
 * only when the probe calls `activate()`, which the probe times. Activation itself is unchanged.
 * With a server, the probe also pages through it. The server runs in this process, outside the
 * measured host.
 */
async function probe(staged: StagedExtension, server?: EcsServer): Promise<ProbeResults> {
  const manifestFile = path.join(staged.dir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
  manifest.activationEvents = [];
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-bench-host-'));
  const resultsFile = path.join(runDir, 'results.json');
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace);
  const codeServer = await startCodeServer({
    userDataDir: path.join(runDir, 'user-data'),
    extensionsDir: path.join(runDir, 'extensions'),
    folder: workspace,
    env: {
      ECS_BENCH_RESULTS: resultsFile,
      ECS_BENCH_ENDPOINT: server?.endpoint,
      NO_COLOR: '1',
    },
  });
  const browser = await launchChromium();
  try {
    const exitCode = await runExtensionTests({
      browser,
      serverUrl: codeServer.url,
      extensionDevelopmentPath: staged.dir,
      extensionTestsPath: path.join(__dirname, 'hostProbe.js'),
      folder: workspace,
      timeoutMs: EXTENSION_TIMEOUT_MS,
      onLog: (type, message) => {
        if (type === 'error') {
          console.error(message);
        }
      },
    });
    if (exitCode !== 0 || !fs.existsSync(resultsFile)) {
      throw new Error(`The host probe failed with exit code ${exitCode}; see ${runDir}.`);
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as ProbeResults;
    fs.rmSync(runDir, { recursive: true, force: true });
    return results;
  } finally {
    await browser.close();
    await codeServer.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

function signedMib(bytes: number): string {
  return `${bytes >= 0 ? '+' : ''}${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export async function runHostBench(): Promise<BenchSection> {
  await ensureCodeServer();
  const fixture = generateLargeFixture();
  const server = await startEcsServer({ fixture, latencyMs: LATENCY_MS });
  const split = await stageExtension();
  const whole = await stageExtension({ wholeSdk: true });
  let ours: ProbeResults;
  const splitRuns: ProbeResults[] = [];
  const wholeRuns: ProbeResults[] = [];
  try {
    ours = await probe(split, server);
    splitRuns.push(ours);
    for (let run = 1; run < ACTIVATION_RUNS; run++) {
      splitRuns.push(await probe(split));
    }
    for (let run = 0; run < ACTIVATION_RUNS; run++) {
      wholeRuns.push(await probe(whole));
    }
  } finally {
    split.remove();
    whole.remove();
    await server.close();
  }
  const paging = ours.paging;
  if (!paging) {
    throw new Error('The host probe returned no paging results.');
  }
  const calls: Record<string, number> = {};
  for (const request of server.requests) {
    if (request.time >= paging.startedAt && request.time <= paging.endedAt) {
      calls[request.action] = (calls[request.action] ?? 0) + 1;
    }
  }

  const vpcs = fixture.vpcs.filter((vpc) => vpc.regionId === LARGEST.regionId).length;
  const minimum: Record<string, { calls: number; why: string }> = {
    DescribeRegions: { calls: 1, why: 'the regions, in one response' },
    DescribeVpcs: { calls: Math.ceil(vpcs / 50), why: `${vpcs} VPCs, 50 per page` },
    DescribeInstances: {
      calls: paging.pages + 1,
      why: `${LARGEST.vpcInstances} instances, 100 per page, and one request for the region's classic-network instances`,
    },
  };
  const lowerBound = paging.pages * LATENCY_MS;
  const memory = ours.memory;
  const afterAll = memory.afterAllPages ?? memory.afterActivation;
  const list = (files: string[]) => files.map((file) => `\`${file}\``).join(', ') || 'none';
  const times = (runs: ProbeResults[], pick: (run: ProbeResults) => number) => {
    const values = runs.map(pick);
    return `${formatMs(median(values))} (${values.map((value) => Math.round(value)).join(', ')})`;
  };
  const activationRow = (build: string, runs: ProbeResults[]) =>
    `| ${build} | ${times(runs, (run) => run.mainLoadMs)} | ${times(runs, (run) => run.activationMs)} | ${list(runs[0].loadedOnActivation)} |`;

  const lines = [
    'Measured in code-server 4.100.3 (VS Code 1.100.3), in its Node extension host, with the production build. The extension was loaded in development mode with its activation events removed, so that the probe could start and time the activation.',
    '',
    '### Activation',
    '',
    `Median of ${ACTIVATION_RUNS} fresh extension hosts per build, with each run in brackets, in milliseconds.`,
    '',
    '| build | load main file | `Extension.activate()` | files of the extension loaded |',
    '|---|---|---|---|',
    activationRow('split (dist/extension.js + dist/sdk.js)', splitRuns),
    activationRow('whole SDK in one bundle', wholeRuns),
    '',
    '`Extension.activate()` includes what the host does around `activate`, such as preparing the extension context, and the `activate` function itself.',
    '',
    splitRuns.some((run) => run.loadedOnActivation.some((file) => file.endsWith('sdk.js')))
      ? `Activation loaded SDK code in at least one run: ${list(ours.loadedOnActivation)}.`
      : `Activation loads no SDK code. The credential check that activation schedules for the status bar then loads ${list(ours.loadedAfterCredentialCheck.filter((file) => !ours.loadedOnActivation.includes(file)))}, which evaluates each library on first access, so that check evaluates the credentials library and not the ECS client.`,
    '',
    '### Paging the largest folder',
    '',
    `Region ${LARGEST.regionId}, VPC ${LARGEST.vpcId}: ${LARGEST.vpcInstances} instances, ${LATENCY_MS} ms added by the local ECS server to every response. The folder shows 500 instances, then Load More; the probe runs Load More as soon as it shows (${paging.loadMoreClicks} times). Times run from the request for the folder's children until the tree data provider returns them; drawing in the workbench is not included.`,
    '',
    '| | time | against |',
    '|---|---|---|',
    `| one page fetched straight through the gateway (median of 5) | ${formatMs(paging.onePageMs)} | |`,
    `| expand to the first page shown (median of ${paging.firstPageRuns}) | ${formatMs(paging.firstPageMs)} | ${(paging.firstPageMs / paging.onePageMs).toFixed(2)} × one page's fetch |`,
    `| expand to all ${paging.nodes} instances shown | ${formatMs(paging.allPagesMs)} | ${(paging.allPagesMs / lowerBound).toFixed(2)} × ${paging.pages} pages × ${LATENCY_MS} ms = ${formatMs(lowerBound)}; ${(paging.allPagesMs / (paging.pages * paging.onePageMs)).toFixed(2)} × ${paging.pages} pages × one page's fetch |`,
    '',
    '| action | calls | minimum | why |',
    '|---|---|---|---|',
    ...Object.entries(minimum).map(
      ([action, { calls: needed, why }]) =>
        `| ${action} | ${calls[action] ?? 0} | ${needed} | ${why} |`,
    ),
    ...Object.keys(calls)
      .filter((action) => !(action in minimum))
      .map((action) => `| ${action} | ${calls[action]} | 0 | not needed |`),
    '',
    '### Memory of the extension host',
    '',
    '| moment | RSS | JS heap used |',
    '|---|---|---|',
    `| before activation | ${mib(memory.beforeActivation.rssBytes)} | ${mib(memory.beforeActivation.heapUsedBytes)} |`,
    `| after activation | ${mib(memory.afterActivation.rssBytes)} | ${mib(memory.afterActivation.heapUsedBytes)} (${signedMib(memory.afterActivation.heapUsedBytes - memory.beforeActivation.heapUsedBytes)}) |`,
    `| after all ${paging.nodes} instances shown | ${mib(afterAll.rssBytes)} | ${mib(afterAll.heapUsedBytes)} (${signedMib(afterAll.heapUsedBytes - memory.afterActivation.heapUsedBytes)}) |`,
    '',
    "The host also runs VS Code's built-in extensions; the differences between rows are what this extension and the probe added. No garbage collection was forced between samples.",
  ];
  return { title: 'Extension host: activation, paging and memory', lines };
}
