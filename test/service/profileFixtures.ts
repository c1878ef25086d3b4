// The CLI profile fixtures in test/fixtures/profiles, with their placeholders filled in, and a
// local credentials URI server for the CredentialsURI profiles.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const PROFILES_DIR = path.resolve(__dirname, '../../../test/fixtures/profiles');
/** externalHelper.ts as compiled next to the tests. */
export const EXTERNAL_HELPER = path.resolve(__dirname, '../fixtures/profiles/externalHelper.js');
/** A loopback port where nothing listens, so role profiles fail without leaving the machine. */
export const CLOSED_STS_HOST = '127.0.0.1:1';

export const STS_KEY = {
  accessKeyId: 'STS.FixtureStsAccessKey01',
  accessKeySecret: 'fixtureStsSecret-0001-not-a-real-key',
  securityToken: 'fixtureStsToken-0001-not-a-real-token',
};

export const INACTIVE_KEY = {
  accessKeyId: 'LTAI5tFixtureInactive01',
  accessKeySecret: 'fixtureSecret-0002-not-a-real-key',
};

export interface ProfileFileValues {
  /** Base URL of the credentials URI server, without a trailing slash. */
  uri?: string;
  /** `host:port` of the STS endpoint. */
  stsHost?: string;
}

/** Writes test/fixtures/profiles/config.json with its placeholders filled into a new folder. */
export function writeProfileFile(values: ProfileFileValues = {}, text?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-profiles-'));
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, fillPlaceholders(text ?? readFixtureConfig(), values));
  return file;
}

export function readFixtureConfig(): string {
  return fs.readFileSync(path.join(PROFILES_DIR, 'config.json'), 'utf8');
}

export function fillPlaceholders(text: string, values: ProfileFileValues = {}): string {
  // The values go inside JSON strings, so they are escaped as JSON.
  const escape = (value: string) => JSON.stringify(value).slice(1, -1);
  return text
    .replaceAll('{{NODE}}', escape(process.execPath))
    .replaceAll('{{HELPER}}', escape(EXTERNAL_HELPER))
    .replaceAll('{{DIR}}', escape(PROFILES_DIR))
    .replaceAll('{{URI}}', escape(values.uri ?? 'http://127.0.0.1:1'))
    .replaceAll('{{STS_HOST}}', escape(values.stsHost ?? CLOSED_STS_HOST));
}

export interface CredentialsUriServer {
  url: string;
  /** Number of requests received per path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Serves `/credentials` with the fixture STS key in the ECS metadata format the CLI's
 * CredentialsURI mode reads, and `/broken` as a 500 whose body contains the secret.
 */
export async function startCredentialsUriServer(): Promise<CredentialsUriServer> {
  const hits = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    if (url === '/credentials') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          Code: 'Success',
          AccessKeyId: STS_KEY.accessKeyId,
          AccessKeySecret: STS_KEY.accessKeySecret,
          SecurityToken: STS_KEY.securityToken,
          Expiration: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
        }),
      );
    } else {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ Code: 'InternalError', Secret: STS_KEY.accessKeySecret }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
