/** Where the SDK sends requests: the SDK wants `host:port` and the protocol separately. */
export interface EndpointOverride {
  /** `host` or `host:port`, with no scheme, as `Config.endpoint` expects. */
  host: string;
  protocol: 'http' | 'https';
  /** The URL as the user wrote it, normalised, for display. */
  url: string;
}

export type EndpointParseResult =
  | { ok: true; endpoint: EndpointOverride | undefined }
  | { ok: false; value: string; problem: 'notUrl' | 'scheme' | 'path' };

/**
 * Parses the endpoint setting. An empty value means the Alibaba Cloud endpoint of each region.
 * A URL with a path, query or credentials is rejected, because the SDK only takes a host and port.
 */
export function parseEndpoint(value: string | undefined): EndpointParseResult {
  const text = (value ?? '').trim();
  if (text === '') {
    return { ok: true, endpoint: undefined };
  }
  if (!text.includes('://')) {
    return { ok: false, value: text, problem: 'scheme' };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, value: text, problem: 'notUrl' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, value: text, problem: 'scheme' };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    return { ok: false, value: text, problem: 'path' };
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { ok: true, endpoint: { host: url.host, protocol, url: `${protocol}://${url.host}` } };
}
