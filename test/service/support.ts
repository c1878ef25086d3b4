// Shared setup for the service tests: the local ECS server and a gateway over the real SDK.
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

export { connectionTargets } from '../support/networkGuard';
