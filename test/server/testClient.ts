import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import * as path from 'node:path';

import * as Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil, AlibabaCloudError } from '@alicloud/openapi-core';

import type { EcsServer } from './ecsServer';
import type { FixtureAccount } from './fixtureTypes';

// The SDK's credential chain can fall back to the ECS metadata service. Tests must never reach it.
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

/** Path of the shared fixture, resolved from out/test/server after compilation. */
export const FIXTURE_PATH = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'ecs-fixture.json',
);

export const AK_ACCOUNT: FixtureAccount = {
  accessKeyId: 'LTAI5tFixtureAccessKey01',
  accessKeySecret: 'fixtureSecret-0001-not-a-real-key',
};

export const STS_ACCOUNT: FixtureAccount = {
  accessKeyId: 'STS.FixtureStsAccessKey01',
  accessKeySecret: 'fixtureStsSecret-0001-not-a-real-key',
  securityToken: 'fixtureStsToken-0001-not-a-real-token',
};

export type EcsClient = InstanceType<typeof Ecs.default>;

/** Creates a real SDK client that talks plain HTTP to the local server. */
export function createClient(server: EcsServer, account: FixtureAccount = AK_ACCOUNT): EcsClient {
  return new Ecs.default(
    new $OpenApiUtil.Config({
      accessKeyId: account.accessKeyId,
      accessKeySecret: account.accessKeySecret,
      ...(account.securityToken === undefined ? {} : { securityToken: account.securityToken }),
      endpoint: server.host,
      protocol: 'http',
      readTimeout: 5000,
      connectTimeout: 2000,
    }),
  );
}

/** Awaits a call that must fail and checks the SDK error's code and HTTP status. */
export async function expectApiError(
  call: Promise<unknown>,
  code: string,
  statusCode: number,
): Promise<AlibabaCloudError> {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof AlibabaCloudError,
    `expected an SDK error ${code}, got ${String(caught)}`,
  );
  assert.equal(caught.code, code);
  assert.equal(caught.statusCode, statusCode);
  return caught;
}

/** Calls an action that the SDK has no method for, through its generic RPC path. */
export function callAction(client: EcsClient, action: string, query: Record<string, string> = {}) {
  const params = new $OpenApiUtil.Params({
    action,
    version: '2014-05-26',
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  // callApi of @alicloud/openapi-core 1.0.8 accepts an empty object as its runtime options, so the
  // tests need not import RuntimeOptions from @darabonba/typescript, which is not a direct dependency.
  const runtime = {} as Parameters<EcsClient['callApi']>[2];
  return client.callApi(params, new $OpenApiUtil.OpenApiRequest({ query }), runtime);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** Sends a request with the given headers, query and body, bypassing the SDK. */
export function sendRaw(
  server: EcsServer,
  options: { headers: Record<string, string>; query?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  const query = new URLSearchParams(options.query ?? {}).toString();
  // Node sets the framing headers itself. Recorded values would not fit a changed body.
  const headers = { ...options.headers };
  for (const name of ['content-length', 'connection', 'transfer-encoding']) {
    delete headers[name];
  }
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: query === '' ? '/' : `/?${query}`,
        headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: JSON.parse(text) as Record<string, unknown>,
          });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body ?? '');
  });
}

export { Ecs };
