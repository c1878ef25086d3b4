// A copy of the repository with a production build, for the benchmarks that package or load the
// extension, so that they never touch the dist/ folder that the tests use.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/paths';

/** Folders of the repository that the copy leaves out: tools, build output and caches. */
const LEFT_OUT = new Set(['.git', '.cache', 'node_modules', 'out', 'dist', 'test-results']);

interface BundleScript {
  buildBundles(options: {
    outdir: string;
    production: boolean;
    wholeSdk?: boolean;
  }): Promise<string[]>;
}

export interface StagedExtension {
  dir: string;
  /** The bundles written to `<dir>/dist`. */
  bundles: string[];
  remove(): void;
}

/**
 * Copies the repository's files into a new temporary folder and builds the bundles there as
 * `node esbuild.js --production` does. With `wholeSdk`, builds the single bundle with the whole SDK instead.
 */
export async function stageExtension(
  options: { wholeSdk?: boolean } = {},
): Promise<StagedExtension> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-bench-extension-'));
  for (const entry of fs.readdirSync(repoRoot)) {
    if (!LEFT_OUT.has(entry)) {
      fs.cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const script = require(path.join(repoRoot, 'esbuild.js')) as BundleScript;
  const bundles = await script.buildBundles({
    outdir: path.join(dir, 'dist'),
    production: true,
    wholeSdk: options.wholeSdk,
  });
  return { dir, bundles, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
