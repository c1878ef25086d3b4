import { parseArgs } from 'node:util';

import type { RecordedRequest } from './ecsServer';
import { startEcsServer } from './ecsServer';

const USAGE = `Usage: node out/test/server/cli.js --fixture <file.json> [--port <port>] [--latency <ms>] [--log-requests]

Starts the local ECS 2014-05-26 server on 127.0.0.1 and prints one line with its endpoint.
  --fixture       fixture JSON file (required)
  --port          TCP port, 0 picks a free one (default 0)
  --latency       delay in ms added before every response (default 0)
  --log-requests  print one line per request: time, action, HTTP status, error code`;

function readInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new Error(`--${name} must be a non-negative integer, got "${value}".`);
  }
  return parsed;
}

function logRequest(request: RecordedRequest): void {
  const time = new Date(request.time).toISOString();
  const action = request.action || '(no action)';
  console.log(`${time} ${action} ${request.status} ${request.code ?? 'OK'}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fixture: { type: 'string' },
      port: { type: 'string' },
      latency: { type: 'string' },
      'log-requests': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.fixture === undefined) {
    throw new Error('--fixture is required.');
  }
  const server = await startEcsServer({
    fixture: values.fixture,
    port: readInteger(values.port, 'port', 0),
    latencyMs: readInteger(values.latency, 'latency', 0),
    ...(values['log-requests'] ? { onRequest: logRequest } : {}),
  });
  console.log(`ECS server listening on ${server.endpoint}`);

  const stop = (signal: NodeJS.Signals) => {
    console.log(`ECS server stopping on ${signal}`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('ECS server failed to close', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(2);
});
