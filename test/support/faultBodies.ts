// What the fake registry sends when told to misbehave: answers with the wrong types for each route,
// malformed and truncated JSON, a body that never ends, one that drips a byte at a time, a reset
// in the middle, and redirects (loops, endless chains, downgrades to plain HTTP, other hosts).
// Every faulty body carries FAULT_MARKER, so a test can prove none of it reached a cache.
// No test-framework imports here.
import type * as http from 'node:http';

/** Appears in every faulty body: finding it in a cache file means bad data was stored. */
export const FAULT_MARKER = '__fault__';

export type FakeRoute = 'osv-querybatch' | 'osv-vulns' | 'pypi' | 'npm' | 'hf' | 'hf-paths-info' | 'other';

export type FailMode =
  /** Connection dropped before any answer. */
  | 'down'
  /** HTTP 500 (or `status`). */
  | '500'
  | '429'
  /** Never answers. */
  | 'hang'
  /** Headers, then one byte of a valid answer per `dripMs`. */
  | 'drip'
  /** Headers and part of the body, then a TCP reset. */
  | 'reset'
  /** 200 with a body that is not JSON. */
  | 'malformed'
  /** 200 whose Content-Length promises more than is sent before the connection closes. */
  | 'truncated'
  /** 200 with valid JSON of the wrong shape for the route. */
  | 'wrong-types'
  /** 200 with a chunked body that goes on until the client gives up (or `oversizeBytes`). */
  | 'oversized'
  /** Redirects back and forth between two URLs. */
  | 'redirect-loop'
  /** Redirects to a new URL every time. */
  | 'redirect-chain'
  /** Redirects to `redirectTo` + the same path (e.g. a plain-HTTP or another-host base). */
  | 'redirect';

export interface FailureRule {
  /** Route to fail; '*' for every route. */
  route: FakeRoute | '*';
  mode: FailMode;
  /** Fail this many matching requests, then answer normally; omit to fail forever. */
  count?: number;
  /** Fail every matching request for this long after the first one (a rate-limit window). */
  forMs?: number;
  /** Retry-After header value for 429/500 (e.g. '1' or an HTTP date). */
  retryAfter?: string;
  /** Status for mode '500' (502, 503, ...). */
  status?: number;
  /** For 'redirect': the base URL to send the client to. */
  redirectTo?: string;
  /** For 'drip': ms between bytes (default 1000). */
  dripMs?: number;
  /** For 'oversized': stop after this many bytes (default 256 MB). */
  oversizeBytes?: number;
  /** Only requests whose Host header starts with this (e.g. '127.0.0.1', so a redirect to
   * `localhost` on the same server is answered normally). */
  onHost?: string;
}

/** JSON that parses but does not have the route's documented shape. */
export function wrongTypesBody(route: FakeRoute, id: string): unknown {
  switch (route) {
    case 'osv-querybatch':
      // A string where a list of advisories belongs: read carelessly, the pin looks clean.
      return { results: [{ vulns: `GHSA-${FAULT_MARKER}` }], [FAULT_MARKER]: true };
    case 'osv-vulns':
      return { id, modified: '2030-01-01T00:00:00Z', summary: FAULT_MARKER, affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, versions: [1, 2], ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: 3.0 }] }] }] };
    case 'pypi':
      return { info: { name: FAULT_MARKER, version: 3.0 }, releases: { '3.0': [{ yanked: 'no', upload_time_iso_8601: 2030 }] } };
    case 'npm':
      return { name: FAULT_MARKER, versions: ['1.0.0'], 'dist-tags': { latest: 1 } };
    case 'hf':
      return { id: FAULT_MARKER, sha: 42, siblings: 'model.bin', securityRepoStatus: { scansDone: 'yes' } };
    case 'hf-paths-info':
      return { path: FAULT_MARKER, securityFileStatus: 'safe' };
    default:
      return [FAULT_MARKER];
  }
}

function waitDrain(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Answers `req` according to `rule`. `valid` is the body a healthy registry would send. */
export async function sendFault(rule: FailureRule, route: FakeRoute, req: http.IncomingMessage, res: http.ServerResponse, valid: () => unknown, id: string): Promise<void> {
  const json = { 'content-type': 'application/json' };
  const url = new URL(req.url ?? '/', 'http://fake');
  switch (rule.mode) {
    case 'down':
      return void req.socket.destroy();
    case 'hang':
      return; // never answer; close() destroys the socket
    case '500':
    case '429': {
      const headers: Record<string, string> = { ...json };
      if (rule.retryAfter !== undefined) headers['retry-after'] = rule.retryAfter;
      res.writeHead(rule.mode === '429' ? 429 : (rule.status ?? 500), headers);
      return void res.end(JSON.stringify({ error: `injected ${rule.mode} ${FAULT_MARKER}` }));
    }
    case 'malformed':
      res.writeHead(200, json);
      return void res.end(`{"results": [${FAULT_MARKER} <html>`);
    case 'wrong-types':
      res.writeHead(200, json);
      return void res.end(JSON.stringify(wrongTypesBody(route, id)));
    case 'truncated': {
      const text = JSON.stringify({ ...(valid() as object), [FAULT_MARKER]: true });
      res.writeHead(200, { ...json, 'content-length': String(Buffer.byteLength(text)) });
      res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      return void setTimeout(() => req.socket.destroy(), 20);
    }
    case 'reset': {
      res.writeHead(200, json);
      res.write(`{"${FAULT_MARKER}": [`);
      return void setTimeout(() => {
        try {
          req.socket.resetAndDestroy(); // a TCP RST
        } catch {
          req.socket.destroy(); // TLS sockets cannot send a bare RST: close without close_notify
        }
      }, 20);
    }
    case 'drip': {
      const text = JSON.stringify(valid());
      res.writeHead(200, json);
      for (const ch of text) {
        if (res.destroyed) return;
        res.write(ch);
        await sleep(rule.dripMs ?? 1000);
      }
      return void res.end();
    }
    case 'oversized': {
      const limit = rule.oversizeBytes ?? 256 * 1024 * 1024;
      const chunk = Buffer.from(`"${FAULT_MARKER}${'x'.repeat(1024 * 1024 - FAULT_MARKER.length - 4)}",`);
      res.writeHead(200, json);
      res.write('[');
      for (let sent = 1; sent < limit && !res.destroyed; sent += chunk.length) {
        if (!res.write(chunk)) await waitDrain(res);
      }
      return void (res.destroyed ? undefined : res.end('0]'));
    }
    case 'redirect-loop': {
      const looped = url.searchParams.has('__loop');
      if (looped) url.searchParams.delete('__loop');
      else url.searchParams.set('__loop', '1');
      res.writeHead(302, { location: url.pathname + url.search });
      return void res.end();
    }
    case 'redirect-chain': {
      url.searchParams.set('__hop', String(Number(url.searchParams.get('__hop') ?? '0') + 1));
      res.writeHead(302, { location: url.pathname + url.search });
      return void res.end();
    }
    case 'redirect':
      res.writeHead(301, { location: `${(rule.redirectTo ?? '').replace(/\/+$/, '')}${req.url ?? '/'}` });
      return void res.end();
  }
}
