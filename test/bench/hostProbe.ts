// Runs inside the VS Code extension host, loaded as extensionTestsPath by hostBench.ts. It
// activates the extension, records what activation loaded, then opens the largest folder of the
// large fixture page by page from the ECS server at ECS_BENCH_ENDPOINT, and writes its
// measurements to ECS_BENCH_RESULTS as JSON.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EcsExtensionApi } from '../../src/extension';
import type { EcsNode, PagedFolderNode } from '../../src/tree/nodes';
import { LARGEST } from '../fixtures/largeFixture';

const EXTENSION_ID = 'ecs-tools.alibaba-cloud-ecs-security-groups';
const BASELINE_RUNS = 5;

export interface MemorySample {
  rssBytes: number;
  heapUsedBytes: number;
}

export interface ProbeResults {
  /** Time to load the extension's main file, which is part of its activation. */
  mainLoadMs: number;
  /** Time of `Extension.activate()` once the main file is loaded. */
  activationMs: number;
  /** Files of the extension folder that Node had loaded when `activate` returned. */
  loadedOnActivation: string[];
  /** The same, once the credential check that activation schedules had run. */
  loadedAfterCredentialCheck: string[];
  memory: {
    beforeActivation: MemorySample;
    afterActivation: MemorySample;
    afterAllPages?: MemorySample;
  };
  paging?: {
    /** Date.now() when the measured requests began and ended, to pick them from the server's log. */
    startedAt: number;
    endedAt: number;
    onePageMs: number;
    /** Median of `firstPageRuns` expansions of the folder, each after a reload of the tree. */
    firstPageMs: number;
    firstPageRuns: number;
    allPagesMs: number;
    pages: number;
    nodes: number;
    loadMoreClicks: number;
  };
}

function sample(): MemorySample {
  const usage = process.memoryUsage();
  return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed };
}

function loadedFiles(extensionDir: string): string[] {
  return Object.keys(require.cache)
    .filter((file) => file.startsWith(extensionDir + path.sep))
    .map((file) => path.relative(extensionDir, file))
    .sort();
}

async function waitFor(description: string, condition: () => boolean, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function childById(api: EcsExtensionApi, parent: EcsNode | undefined, id: string) {
  const found = (await api.tree.getChildren(parent)).find((node) => node.id === id);
  if (!found) {
    throw new Error(`${id} is not in the tree`);
  }
  return found;
}

/** Pages through the largest folder, clicking Load More as soon as it shows. */
/** Reloads the tree and expands the path to the largest VPC's Instances folder. */
async function largestFolder(api: EcsExtensionApi): Promise<PagedFolderNode> {
  api.tree.refresh();
  const regionId = `region/${LARGEST.regionId}`;
  const region = await childById(api, undefined, regionId);
  const vpc = await childById(api, region, `${regionId}/vpc/${LARGEST.vpcId}`);
  return (await childById(
    api,
    vpc,
    `${regionId}/vpc/${LARGEST.vpcId}/instances`,
  )) as PagedFolderNode;
}

/** Times the folder's expansion until the tree data provider returns its first page. */
async function timeFirstPage(api: EcsExtensionApi, folder: PagedFolderNode): Promise<number> {
  const started = performance.now();
  await api.tree.getChildren(folder);
  return performance.now() - started;
}

/**
 * Measures the largest folder: its first page over BASELINE_RUNS fresh loads, then one load of
 * every page, clicking Load More as soon as it shows, whose requests the caller counts.
 */
async function measurePaging(
  api: EcsExtensionApi,
  endpoint: string,
): Promise<NonNullable<ProbeResults['paging']>> {
  await vscode.workspace
    .getConfiguration('alibabaCloud.ecs')
    .update('endpoint', endpoint, vscode.ConfigurationTarget.Global);
  await waitFor('the new endpoint', () => api.session().endpoint?.url === endpoint);

  // One page fetched straight through the gateway, after a first call that loads the SDK.
  const gateway = api.session().gateway;
  const filter = { vpcId: LARGEST.vpcId };
  await gateway.listInstances(LARGEST.regionId, filter);
  const baseline: number[] = [];
  for (let run = 0; run < BASELINE_RUNS; run++) {
    const started = performance.now();
    await gateway.listInstances(LARGEST.regionId, filter);
    baseline.push(performance.now() - started);
  }

  const firstPages: number[] = [];
  for (let run = 0; run < BASELINE_RUNS; run++) {
    const folder = await largestFolder(api);
    firstPages.push(await timeFirstPage(api, folder));
    await waitFor('the folder to stop loading', () => folder.pager?.view().loading === false);
  }

  const startedAt = Date.now();
  const folder = await largestFolder(api);
  const started = performance.now();
  firstPages.push(await timeFirstPage(api, folder));
  let loadMoreClicks = 0;
  for (;;) {
    await waitFor('the folder to stop loading', () => folder.pager?.view().loading === false);
    if (!folder.pager?.view().hasMore) {
      break;
    }
    loadMoreClicks += 1;
    await vscode.commands.executeCommand('alibabaCloud.ecs.loadMore', folder);
  }
  const allPagesMs = performance.now() - started;
  return {
    startedAt,
    endedAt: Date.now(),
    onePageMs: median(baseline),
    firstPageMs: median(firstPages),
    firstPageRuns: firstPages.length,
    allPagesMs,
    pages: Math.ceil(LARGEST.vpcInstances / 100),
    nodes: folder.pager?.view().items.length ?? 0,
    loadMoreClicks,
  };
}

export async function run(): Promise<void> {
  const resultsFile = process.env.ECS_BENCH_RESULTS;
  if (!resultsFile) {
    throw new Error('ECS_BENCH_RESULTS must name the results file.');
  }
  const extension = vscode.extensions.getExtension<EcsExtensionApi>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not loaded in this host.`);
  }
  if (extension.isActive) {
    throw new Error(`${EXTENSION_ID} is active already, so its activation cannot be measured.`);
  }

  const beforeActivation = sample();
  // Loading the main file first splits activation into loading the code and running
  // `activate`; the host then finds the module loaded.
  const main = (extension.packageJSON as { main: string }).main;
  const loadStarted = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(extension.extensionPath, main));
  const mainLoadMs = performance.now() - loadStarted;
  const started = performance.now();
  const api = await extension.activate();
  const activationMs = performance.now() - started;
  const loadedOnActivation = loadedFiles(extension.extensionPath);
  const afterActivation = sample();

  await waitFor('the credential check', () => api.session().credentialState.kind !== 'unknown');
  const results: ProbeResults = {
    mainLoadMs,
    activationMs,
    loadedOnActivation,
    loadedAfterCredentialCheck: loadedFiles(extension.extensionPath),
    memory: { beforeActivation, afterActivation },
  };

  const endpoint = process.env.ECS_BENCH_ENDPOINT;
  if (endpoint) {
    results.paging = await measurePaging(api, endpoint);
    results.memory.afterAllPages = sample();
  }
  fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
}
