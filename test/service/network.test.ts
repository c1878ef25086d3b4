import * as assert from 'node:assert/strict';
import { connectionsElsewhere, connectionTargets } from '../support/networkGuard';

// A root-level hook: it runs after every suite of this mocha process, so it sees every
// connection the service tests opened.
after('no connection left 127.0.0.1', () => {
  assert.ok(connectionTargets.length > 0, 'the suite opened connections, so the check saw traffic');
  const elsewhere = connectionsElsewhere();
  assert.deepEqual(elsewhere, [], `connections to other hosts: ${elsewhere.join(', ')}`);
});

describe('network guard', () => {
  it('records outgoing connection targets', async () => {
    const before = connectionTargets.length;
    const net = await import('node:net');
    await new Promise<void>((resolve) => {
      const server = net.createServer((socket) => socket.end());
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        const socket = net.connect({ host: '127.0.0.1', port }, () => {
          socket.end();
          server.close(() => resolve());
        });
      });
    });
    assert.equal(connectionTargets.length, before + 1);
    assert.equal(connectionTargets.at(-1), '127.0.0.1');
  });
});
