import * as assert from 'node:assert/strict';
import { connectionsElsewhere, connectionTargets } from '../support/networkGuard';

// A root-level hook of the extension-host suite. The guard is installed when mocha loads this
// file, before any test runs, and the extension's requests go through the same process, so it
// sees every connection the extension opened during the suite.
after('no connection left 127.0.0.1', () => {
  assert.ok(connectionTargets.includes('127.0.0.1'), 'the suite reached the local ECS server');
  assert.deepEqual(connectionsElsewhere(), []);
});
