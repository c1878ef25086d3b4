import * as fs from 'node:fs';
import * as path from 'node:path';

/** Finds the repository root: the nearest folder above this file that has a package.json. */
function findRepoRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`No package.json found in ${start} or any folder above it.`);
    }
    dir = parent;
  }
  return dir;
}

// This file runs from out/test/support/, which has no package.json of its own.
export const repoRoot = findRepoRoot(__dirname);

/** HOME for every process that may run the extension or the Alibaba Cloud SDK. */
export const fixtureHome = path.join(repoRoot, 'test', 'fixtures', 'home');

/** The ECS API fixture that the local ECS server serves. */
export const ecsFixture = path.join(repoRoot, 'test', 'fixtures', 'ecs-fixture.json');

/** Variables that set HOME to a fixture folder and turn off the ECS metadata service. */
export function sandboxedEnv(home: string = fixtureHome): Record<string, string> {
  return { HOME: home, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' };
}
