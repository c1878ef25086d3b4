// Shared setup for the service tests: the local ECS server and a gateway over the real SDK.
import * as net from 'node:net';
import * as path from 'node:path';
import type {
  CredentialProvider,
  ResolvedCredentials,
} from '../../src/credentials/credentialSource';
import { parseEndpoint } from '../../src/ecs/endpoint';
import { SdkEcsGateway, type RequestRecord, type SdkGatewayOptions } from '../../src/ecs/gateway';
import { startEcsServer, type EcsServer } from '../server/ecsServer';

export const FIXTURE_PATH = path.resolve(__dirname, '../../../test/fixtures/ecs-fixture.json');
export const FIXTURE_HOME = path.resolve(__dirname, '../../../test/fixtures/home');

export const FIXTURE_KEY = {
  accessKeyId: 'LTAI5tFixtureAccessKey01',
  accessKeySecret: 'fixtureSecret-0001-not-a-real-key',
};

/** Credentials given directly; the service tests are about the gateway and the rules. */
export function staticCredentials(
  found: Omit<ResolvedCredentials, 'providerName'>,
): CredentialProvider {
  const resolved = { ...found, providerName: 'test/static' };
  return {
    resolve: async () => resolved,
    asSdkCredential: () => ({
      getCredential: async () => ({
        accessKeyId: resolved.accessKeyId,
        accessKeySecret: resolved.accessKeySecret,
        securityToken: resolved.securityToken ?? '',
        type: resolved.securityToken ? 'sts' : 'access_key',
        providerName: resolved.providerName,
      }),
    }),
  };
}

export interface GatewayHarness {
  server: EcsServer;
  gateway: SdkEcsGateway;
  records: RequestRecord[];
  /** The waits the gateway asked for between attempts; the tests do not really wait. */
  delays: number[];
}

export async function startHarness(): Promise<GatewayHarness> {
  const server = await startEcsServer({ fixture: FIXTURE_PATH });
  return { server, ...gatewayFor(server) };
}

export function gatewayFor(
  server: EcsServer,
  credentials: CredentialProvider = staticCredentials(FIXTURE_KEY),
  options: Partial<SdkGatewayOptions> = {},
): { gateway: SdkEcsGateway; records: RequestRecord[]; delays: number[] } {
  const parsed = parseEndpoint(server.endpoint);
  if (!parsed.ok || !parsed.endpoint) {
    throw new Error(`The server endpoint ${server.endpoint} did not parse`);
  }
  const records: RequestRecord[] = [];
  const delays: number[] = [];
  const gateway = new SdkEcsGateway({
    credentials,
    endpoint: parsed.endpoint,
    onRequest: (record) => records.push(record),
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...options,
  });
  return { gateway, records, delays };
}

/** Every address a socket of this process tried to reach, recorded by the root hook below. */
export const connectionTargets: string[] = [];

const originalConnect = net.Socket.prototype.connect;
// Records the host of every outgoing TCP connection, so a test can prove that nothing left
// 127.0.0.1. Node's http client goes through Socket.prototype.connect.
net.Socket.prototype.connect = function recordConnect(this: net.Socket, ...args: unknown[]) {
  connectionTargets.push(targetHost(args));
  return (originalConnect as (...inner: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

/** Reads the host from the forms connect() takes: (options), (port, host) or Node's normalised [options, cb]. */
function targetHost(args: unknown[]): string {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'number' || typeof first === 'string') {
    return typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  const options = (first ?? {}) as { host?: string; path?: string };
  if (options.path) {
    return 'unix-socket';
  }
  return options.host ?? 'localhost';
}
