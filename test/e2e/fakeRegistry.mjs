// A loopback registry for the e2e suites: OSV (querybatch, query, vulns/{id}), the PyPI JSON
// API and a minimal Hugging Face model API, answering from the records in fixtures/registry.
// A real node:http server on 127.0.0.1 so the extension's real HTTP layer is exercised.
// (test/support/fakeRegistry.ts serves the protocol tests; this one is plain JS so run.mjs can
// load it without a build step.)
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { satisfies, valid } from '@renovatebot/pep440';

const here = path.dirname(fileURLToPath(import.meta.url));
const normalise = (n) => n.toLowerCase().replace(/[-_.]+/g, '-');

/** Releases served by the fake PyPI: every name the fixture workspace uses. */
export const RELEASES = {
  requests: ['2.3.0', '2.19.0', '2.19.1', '2.20.0', '2.25.1', '2.30.0', '2.31.0', '2.32.3'],
  numpy: ['1.26.0', '1.26.4', '2.0.0', '2.1.3'],
  torch: ['2.4.0', '2.5.1', '2.6.0'],
  pysocks: ['1.7.1'],
};

function loadRecords(dir) {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
}

/** OSV semantics, enough for the fixtures: the explicit versions list, or an ECOSYSTEM range. */
function affects(affected, version) {
  if ((affected.versions ?? []).includes(version)) return true;
  if (!valid(version)) return false;
  for (const range of affected.ranges ?? []) {
    if (range.type !== 'ECOSYSTEM') continue;
    let lo = null;
    for (const ev of range.events) {
      if (ev.introduced !== undefined) lo = ev.introduced;
      const hi = ev.fixed ?? ev.last_affected;
      if (hi !== undefined && lo !== null) {
        const lower = lo === '0' ? '' : `>=${lo},`;
        if (satisfies(version, `${lower}${ev.fixed !== undefined ? '<' : '<='}${hi}`.replace(/^,/, ''))) return true;
        lo = null;
      }
    }
    if (lo !== null && (lo === '0' || satisfies(version, `>=${lo}`))) return true;
  }
  return false;
}

function matches(record, name, version) {
  return (record.affected ?? []).some(
    (a) => a.package?.ecosystem === 'PyPI' && normalise(a.package.name) === normalise(name) && (version === undefined || affects(a, version)),
  );
}

function pypiJson(name) {
  const versions = RELEASES[normalise(name)];
  if (!versions) return undefined;
  const releases = Object.fromEntries(
    versions.map((v, i) => [v, [{ filename: `${name}-${v}.tar.gz`, packagetype: 'sdist', yanked: false, upload_time_iso_8601: new Date(Date.UTC(2018 + i, 0, 1)).toISOString() }]]),
  );
  return { info: { name, version: versions[versions.length - 1], license: 'Apache-2.0', yanked: false, summary: `${name} (fake)` }, releases };
}

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

/** Starts the server; resolves with its base URL, the request log and a close function. */
export async function startFakeRegistry({ recordsDir = path.join(here, 'fixtures', 'registry') } = {}) {
  const records = loadRecords(recordsDir);
  const log = [];
  const send = (res, status, obj) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(obj));
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    log.push(`${req.method} ${url.pathname}`);
    void (async () => {
      try {
        if (req.method === 'POST' && url.pathname === '/v1/querybatch') {
          const { queries = [] } = await body(req);
          const results = queries.map((q) => {
            const vulns = records.filter((r) => !r.withdrawn && matches(r, q.package?.name ?? '', q.version)).map((r) => ({ id: r.id, modified: r.modified }));
            return vulns.length ? { vulns } : {};
          });
          return send(res, 200, { results });
        }
        if (req.method === 'POST' && url.pathname === '/v1/query') {
          const q = await body(req);
          const vulns = records.filter((r) => matches(r, q.package?.name ?? '', q.version));
          return send(res, 200, vulns.length ? { vulns } : {});
        }
        let m = /^\/v1\/vulns\/([^/]+)$/.exec(url.pathname);
        if (m) {
          const r = records.find((x) => x.id === decodeURIComponent(m[1]));
          return r ? send(res, 200, r) : send(res, 404, { code: 5, message: 'Bug not found.' });
        }
        m = /^\/pypi\/([^/]+)(?:\/[^/]+)?\/json$/.exec(url.pathname);
        if (m) {
          const j = pypiJson(decodeURIComponent(m[1]));
          return j ? send(res, 200, j) : send(res, 404, { message: 'Not Found' });
        }
        m = /^\/api\/models\/(.+?)(?:\/revision\/([^/]+))?$/.exec(url.pathname);
        if (m) {
          return send(res, 200, { id: m[1], modelId: m[1], sha: '0123456789abcdef0123456789abcdef01234567', author: m[1].split('/')[0], downloads: 1000, gated: false, siblings: [{ rfilename: 'model.safetensors' }], tags: [] });
        }
        send(res, 404, { message: `no fake route for ${url.pathname}` });
      } catch (err) {
        send(res, 500, { message: String(err) });
      }
    })();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
