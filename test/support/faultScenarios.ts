// The registry faults every client must survive, as fake-registry rules, with what the CLI's
// `errors` must then say about OSV. `targets` holds the URLs some faults redirect to: a plain-HTTP
// twin of the registry (downgrade) and the same HTTPS server under another host name.
import type { FailureRule } from './faultBodies';

export interface FaultTargets {
  /** http:// base of a healthy plain-HTTP registry. */
  plainUrl: string;
  /** https:// base of the same registry under another host name (localhost vs 127.0.0.1). */
  otherHostUrl: string;
}

export interface FaultScenario {
  name: string;
  rules(t: FaultTargets): FailureRule[];
  /** What the OSV error entry must match. */
  osv: RegExp;
}

const all = (rule: Omit<FailureRule, 'route'>): FailureRule[] => [{ route: '*', ...rule }];

export const FAULTS: FaultScenario[] = [
  { name: 'hang (no bytes)', rules: () => all({ mode: 'hang' }), osv: /^OSV unreachable \(ETIMEDOUT\)/ },
  { name: 'drip (one byte per second)', rules: () => all({ mode: 'drip', dripMs: 1000 }), osv: /^OSV unreachable \(ETIMEDOUT\)/ },
  { name: 'connection reset mid-answer', rules: () => all({ mode: 'reset' }), osv: /^OSV unreachable \((ECONNRESET|EPIPE|UND_ERR_SOCKET)\)/ },
  { name: '429 with Retry-After', rules: () => all({ mode: '429', retryAfter: '1' }), osv: /^OSV rate-limited us \(HTTP 429\)/ },
  { name: '5xx', rules: () => all({ mode: '500', status: 503 }), osv: /^OSV unreachable \(HTTP 503\)/ },
  { name: 'malformed JSON', rules: () => all({ mode: 'malformed' }), osv: /^OSV answered with an error \(EBADJSON\)/ },
  { name: 'truncated body', rules: () => all({ mode: 'truncated' }), osv: /^OSV (unreachable|answered with an error) \((ECONNRESET|UND_ERR_SOCKET|EBADJSON|other side closed)\)/ },
  { name: 'wrong types', rules: () => all({ mode: 'wrong-types' }), osv: /^OSV querybatch: invalid answer \(results\[0\]\.vulns: expected array, got string\)/ },
  { name: 'oversized body', rules: () => all({ mode: 'oversized' }), osv: /^OSV answered with an error \(ETOOBIG\)/ },
  { name: 'redirect loop', rules: () => all({ mode: 'redirect-loop' }), osv: /^OSV answered with an error \(EREDIRECT/ },
  { name: 'HTTPS to HTTP downgrade redirect', rules: (t) => all({ mode: 'redirect', redirectTo: t.plainUrl }), osv: /^OSV answered with an error \(EREDIRECT\)/ },
  { name: 'redirect to another host', rules: (t) => all({ mode: 'redirect', redirectTo: t.otherHostUrl, onHost: '127.0.0.1' }), osv: /^OSV answered with an error \(EREDIRECT\)/ },
];
