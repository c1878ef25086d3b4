// Records the host of every outgoing TCP connection this process opens, so that a suite can
// prove nothing left 127.0.0.1. Node's http and https clients connect through
// net.Socket.prototype.connect, which this wraps once per process.
import * as net from 'node:net';

/** Hosts in the order their connections were opened; `unix-socket` for a local socket path. */
export const connectionTargets: string[] = [];

const WRAPPED = Symbol.for('alibabaCloud.ecs.test.networkGuard');

type Connect = (...args: unknown[]) => net.Socket;

const prototype = net.Socket.prototype as unknown as Record<symbol, unknown> & { connect: Connect };
if (!prototype[WRAPPED]) {
  const original = prototype.connect;
  prototype.connect = function recordConnect(this: net.Socket, ...args: unknown[]) {
    connectionTargets.push(targetHost(args));
    return original.apply(this, args);
  };
  prototype[WRAPPED] = true;
}

/** Reads the host from the forms connect() takes: (options), (port, host) or Node's [options, cb]. */
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

/** The recorded targets that are neither 127.0.0.1 nor a local socket. */
export function connectionsElsewhere(): string[] {
  return connectionTargets.filter((host) => host !== '127.0.0.1' && host !== 'unix-socket');
}
