// A local STS 2015-04-01 endpoint for AssumeRole and AssumeRoleWithOIDC, over HTTPS on 127.0.0.1,
// because the role providers of @alicloud/credentials 2.4.7 always use https://<sts_endpoint>.
// AssumeRole requests are checked like the real service checks them: an RPC signature,
// HMAC-SHA1 over `POST&%2F&<sorted, encoded parameters>` with the key `<secret>&`.
import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface StsAccount {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** The credentials every assumed role gets; the ECS fixture accepts them. */
export interface IssuedCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
}

export interface StsServerOptions {
  /** Keys allowed to call AssumeRole. */
  accounts: StsAccount[];
  issued: IssuedCredentials;
  /** Token that AssumeRoleWithOIDC accepts, compared without surrounding whitespace. */
  oidcToken?: string;
  /** Seconds until the issued credentials expire; DurationSeconds of the request when unset. */
  expiresInSeconds?: number;
  /** Role ARNs that are refused with 403 NoPermission, whose message repeats the secret. */
  deniedRoles?: string[];
  now?: () => number;
}

export interface StsRequest {
  action: string;
  params: Record<string, string>;
  status: number;
  code?: string;
}

export interface StsServer {
  /** `127.0.0.1:<port>`, the form `sts_endpoint` takes. */
  readonly host: string;
  /** The self-signed certificate the server presents, for the client's trust list. */
  readonly certificate: string;
  readonly requests: StsRequest[];
  count(action: string): number;
  close(): Promise<void>;
}

function encode(value: string): string {
  return encodeURIComponent(value)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

/** Computes the RPC signature of a request from all its parameters but `Signature`. */
export function rpcSignature(method: string, params: Record<string, string>, secret: string) {
  const canonical = Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort()
    .map((key) => `${encode(key)}=${encode(params[key])}`)
    .join('&');
  const stringToSign = `${method}&${encode('/')}&${encode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

/** Creates a self-signed certificate for 127.0.0.1 with the openssl command, valid for a day. */
function createCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-sts-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  const result = { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startStsServer(options: StsServerOptions): Promise<StsServer> {
  const { key, cert } = createCertificate();
  const requests: StsRequest[] = [];
  const now = options.now ?? Date.now;

  const handle = (params: Record<string, string>): Record<string, unknown> => {
    const action = params.Action ?? '';
    if (action === 'AssumeRole') {
      const account = options.accounts.find((item) => item.accessKeyId === params.AccessKeyId);
      if (!account) {
        throw new StsError(
          404,
          'InvalidAccessKeyId.NotFound',
          'Specified access key is not found.',
        );
      }
      const expected = Buffer.from(rpcSignature('POST', params, account.accessKeySecret));
      const sent = Buffer.from(params.Signature ?? '');
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
        throw new StsError(400, 'SignatureDoesNotMatch', 'The request signature does not match.');
      }
      if (account.securityToken !== undefined && params.SecurityToken !== account.securityToken) {
        throw new StsError(
          400,
          'InvalidSecurityToken.Mismatch',
          'The security token does not match the AccessKey.',
        );
      }
    } else if (action === 'AssumeRoleWithOIDC') {
      if (!params.OIDCProviderArn || params.OIDCToken?.trim() !== options.oidcToken) {
        throw new StsError(400, 'InvalidParameter.OIDCToken', 'The OIDC token is invalid.');
      }
    } else {
      throw new StsError(404, 'InvalidAction.NotFound', `Action ${action} is not supported.`);
    }
    if (!params.RoleArn) {
      throw new StsError(400, 'MissingRoleArn', 'RoleArn is mandatory for this action.');
    }
    if (options.deniedRoles?.includes(params.RoleArn)) {
      throw new StsError(
        403,
        'NoPermission',
        `You are not authorized to assume ${params.RoleArn} (${options.issued.accessKeySecret}).`,
      );
    }
    const seconds = options.expiresInSeconds ?? Number(params.DurationSeconds ?? 3600);
    const expiration = new Date(now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    return {
      RequestId: randomUUID().toUpperCase(),
      AssumedRoleUser: {
        Arn: `${params.RoleArn}/${params.RoleSessionName ?? ''}`,
        AssumedRoleId: `3000000000000000:${params.RoleSessionName ?? ''}`,
      },
      Credentials: {
        AccessKeyId: options.issued.accessKeyId,
        AccessKeySecret: options.issued.accessKeySecret,
        SecurityToken: options.issued.securityToken,
        Expiration: expiration,
      },
    };
  };

  const server: Server = createServer({ key, cert }, (request, response) => {
    void readParams(request).then((params) => respond(params, response));
  });
  const respond = (params: Record<string, string>, response: ServerResponse) => {
    const record: StsRequest = { action: params.Action ?? '', params, status: 200 };
    requests.push(record);
    let status = 200;
    let body: Record<string, unknown>;
    try {
      body = handle(params);
    } catch (error) {
      const failure =
        error instanceof StsError ? error : new StsError(500, 'InternalError', String(error));
      status = failure.status;
      record.code = failure.code;
      body = {
        RequestId: randomUUID().toUpperCase(),
        Code: failure.code,
        Message: failure.message,
      };
    }
    record.status = status;
    response.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
    response.end(JSON.stringify(body));
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    certificate: cert,
    requests,
    count: (action) => requests.filter((request) => request.action === action).length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Collects the query and the form body into one map, as the RPC signature covers both. */
async function readParams(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  const params: Record<string, string> = {};
  const query = new URL(request.url ?? '/', 'https://127.0.0.1').searchParams;
  for (const [name, value] of query) {
    params[name] = value;
  }
  for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
    params[name] = value;
  }
  return params;
}
