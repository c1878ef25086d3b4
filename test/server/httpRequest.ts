/** Helpers that read headers and bodies of node:http requests. */
import type { IncomingMessage } from 'node:http';

import { parseQuery } from './signature';

/** Returns a header as one string, joining repeated values with commas. */
export function headerString(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value.join(',') : value) ?? '';
}

export function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(request.headers)) {
    headers[name] = headerString(request, name);
  }
  return headers;
}

/** Parses a form-encoded body. The SDK's ECS calls send an empty body, but other clients may not. */
export function parseFormBody(request: IncomingMessage, body: Buffer): Array<[string, string]> {
  const contentType = headerString(request, 'content-type');
  if (body.length === 0 || !contentType.startsWith('application/x-www-form-urlencoded')) {
    return [];
  }
  return parseQuery(body.toString('utf8'));
}

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
