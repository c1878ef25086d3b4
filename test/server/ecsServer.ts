import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ACTIONS } from './actions';
import { EcsApiError, errorBody, newRequestId } from './errors';
import { loadFixture, stateFromFixture } from './fixture';
import type { EcsFixture, EcsState } from './fixtureTypes';
import { RequestParams } from './params';
import { flattenHeaders, headerString, parseFormBody, readBody } from './httpRequest';
import { credentialOf, NonceCache, parseQuery, verifyRequest } from './signature';

export type { EcsFixture, EcsState } from './fixtureTypes';

const API_VERSION = '2014-05-26';
const HOST = '127.0.0.1';

export interface EcsServerOptions {
  /** TCP port on 127.0.0.1. 0, the default, picks a free port. */
  port?: number;
  /** Fixture object, or the path of a fixture JSON file. */
  fixture: EcsFixture | string;
  /** Delay in ms added before every response. Defaults to 0. */
  latencyMs?: number;
  /** Server clock in ms since the epoch, for the x-acs-date check. Defaults to Date.now. */
  now?: () => number;
  /** Called after each response with the recorded request, for logging. */
  onRequest?: (request: RecordedRequest) => void;
}

/** Error that the next calls of one action return after their signature checks pass. */
export interface EcsFault {
  code: string;
  status: number;
  message?: string;
  /** Number of calls that fail. Defaults to 1. */
  times?: number;
  /** Sent as the `x-acs-retry-after` header, which the SDK reads in ms. */
  retryAfterMs?: number;
  /**
   * Closes the connection without a response, as a dropped connection does; `code` and `status`
   * are then only recorded.
   */
  dropConnection?: boolean;
}

/** One received request with the status and error code of its response. */
export interface RecordedRequest {
  /** Value of x-acs-action, or an empty string when the header was missing. */
  action: string;
  /** Decoded query (and form body) parameters. */
  params: Record<string, string>;
  /** AccessKey ID from the Authorization header, or an empty string when it had none. */
  accessKeyId: string;
  status: number;
  /** Error code of a failed request. */
  code?: string;
  /** Time the request arrived, in ms since the epoch. */
  time: number;
  /** Request headers with lowercase names. */
  headers: Record<string, string>;
}

export interface EcsServer {
  readonly port: number;
  /** Base URL, for example `http://127.0.0.1:18090`. */
  readonly endpoint: string;
  /** `127.0.0.1:<port>`, the form the SDK's `Config.endpoint` expects (no scheme). */
  readonly host: string;
  readonly requests: RecordedRequest[];
  /** Live data. Tests may read and change it. `reset()` refills the same object. */
  readonly state: EcsState;
  latencyMs: number;
  /** Number of recorded requests for the action. */
  count(action: string): number;
  resetRequests(): void;
  failNext(action: string, fault: EcsFault): void;
  clearFaults(): void;
  /** Restores the state from the fixture loaded at start. */
  reset(): void;
  close(): Promise<void>;
}

class LocalEcsServer implements EcsServer {
  readonly requests: RecordedRequest[] = [];
  readonly state: EcsState;
  latencyMs: number;
  port = 0;
  private readonly faults = new Map<string, Array<Required<Pick<EcsFault, 'times'>> & EcsFault>>();
  private readonly nonces = new NonceCache();
  private readonly now: () => number;
  private readonly onRequest: ((request: RecordedRequest) => void) | undefined;

  constructor(
    private readonly fixture: EcsFixture,
    private readonly server: Server,
    options: EcsServerOptions,
  ) {
    this.state = stateFromFixture(fixture);
    this.latencyMs = options.latencyMs ?? 0;
    this.now = options.now ?? Date.now;
    this.onRequest = options.onRequest;
  }

  get endpoint(): string {
    return `http://${this.host}`;
  }

  get host(): string {
    return `${HOST}:${this.port}`;
  }

  count(action: string): number {
    return this.requests.filter((request) => request.action === action).length;
  }

  resetRequests(): void {
    this.requests.length = 0;
  }

  failNext(action: string, fault: EcsFault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`failNext times must be a positive integer, got ${times}.`);
    }
    const queue = this.faults.get(action) ?? [];
    queue.push({ ...fault, times });
    this.faults.set(action, queue);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  reset(): void {
    Object.assign(this.state, stateFromFixture(this.fixture));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const time = Date.now();
    const body = await readBody(request);
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    const rawQuery = queryStart < 0 ? '' : url.slice(queryStart + 1);
    const action = headerString(request, 'x-acs-action');
    const requestId = newRequestId();
    let values: Record<string, string> = {};
    let status = 200;
    let payload: Record<string, unknown>;
    let code: string | undefined;
    const extraHeaders: Record<string, string> = {};
    let dropped = false;

    try {
      values = Object.fromEntries([...parseQuery(rawQuery), ...parseFormBody(request, body)]);
      if (this.latencyMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      }
      const signed = {
        method: request.method ?? 'POST',
        path,
        rawQuery,
        headers: request.headers,
        body,
      };
      verifyRequest(signed, this.state.accounts, this.nonces, this.now());
      payload = { RequestId: requestId, ...this.dispatch(action, path, request, values) };
    } catch (error) {
      const apiError = toApiError(error, action);
      status = apiError.status;
      code = apiError.code;
      payload = errorBody(apiError, requestId, values.RegionId);
      if (error instanceof InjectedFault && error.retryAfterMs !== undefined) {
        extraHeaders['x-acs-retry-after'] = String(error.retryAfterMs);
      }
      dropped = error instanceof InjectedFault && error.dropConnection;
    }

    const record: RecordedRequest = {
      action,
      params: values,
      accessKeyId: credentialOf(request.headers) ?? '',
      status,
      ...(code === undefined ? {} : { code }),
      time,
      headers: flattenHeaders(request),
    };
    this.requests.push(record);
    if (dropped) {
      request.socket.destroy();
      this.onRequest?.(record);
      return;
    }
    const text = JSON.stringify(payload);
    response.writeHead(status, {
      'content-type': 'application/json;charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-acs-request-id': requestId,
      ...extraHeaders,
    });
    response.end(text);
    this.onRequest?.(record);
  }

  private dispatch(
    action: string,
    path: string,
    request: IncomingMessage,
    values: Record<string, string>,
  ): Record<string, unknown> {
    const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (path !== '/' || !handler) {
      throw new EcsApiError(
        'InvalidAction.NotFound',
        404,
        `Specified api is not found, please check your url and method: action "${action}" at path ${path}.`,
      );
    }
    const version = headerString(request, 'x-acs-version');
    if (version !== API_VERSION) {
      throw new EcsApiError(
        'InvalidVersion',
        400,
        `Specified parameter Version is not valid: "${version}". This server implements ${API_VERSION}.`,
      );
    }
    this.throwInjectedFault(action);
    return handler({ action, params: new RequestParams(values), state: this.state });
  }

  private throwInjectedFault(action: string): void {
    const queue = this.faults.get(action);
    const fault = queue?.[0];
    if (!queue || !fault) {
      return;
    }
    fault.times -= 1;
    if (fault.times <= 0) {
      queue.shift();
    }
    throw new InjectedFault(fault);
  }
}

/** Error raised by `failNext`. */
class InjectedFault extends EcsApiError {
  readonly retryAfterMs: number | undefined;
  readonly dropConnection: boolean;

  constructor(fault: EcsFault) {
    super(
      fault.code,
      fault.status,
      fault.message ?? `Injected ${fault.code} fault of the local ECS server.`,
    );
    this.retryAfterMs = fault.retryAfterMs;
    this.dropConnection = fault.dropConnection ?? false;
  }
}

function toApiError(error: unknown, action: string): EcsApiError {
  if (error instanceof EcsApiError) {
    return error;
  }
  console.error(`Local ECS server: ${action || 'request'} failed with an unexpected error`, error);
  const detail = error instanceof Error ? error.message : String(error);
  return new EcsApiError(
    'InternalError',
    500,
    `The request processing has failed due to some unknown error: ${detail}`,
  );
}

/**
 * Starts the local ECS server on 127.0.0.1. It checks ACS3-HMAC-SHA256 signatures against the
 * fixture's accounts and serves the ECS 2014-05-26 actions in ACTIONS from in-memory state.
 */
export async function startEcsServer(options: EcsServerOptions): Promise<EcsServer> {
  const fixture = loadFixture(options.fixture);
  const server = createServer();
  const ecs = new LocalEcsServer(fixture, server, options);
  server.on('request', (request, response) => {
    ecs.handle(request, response).catch((error: unknown) => {
      console.error('Local ECS server: failed to answer a request', error);
      response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  ecs.port = (server.address() as AddressInfo).port;
  return ecs;
}
